package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.credproxy.testing.Canaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names that resolve to the cloud metadata address, private, shared, link-local, unique-local,
 * unspecified and loopback addresses (a hosts file, {@code -Djdk.net.hosts.file}, in a child daemon
 * JVM) are refused before any connect. The daemon runs in a fresh network namespace
 * ({@code unshare --net}, only {@code lo} up) and curl reaches it with {@code nsenter}: even a broken
 * daemon could not send a packet off this machine.
 *
 * <p>Proof that nothing was connected: every refusal is 403 {@code destination_ip_prohibited}
 * naming the address, audited as denied; and the same requests to a daemon whose
 * {@code allow_addresses} covers those ranges do try to connect (and fail: the namespace has no
 * route), so the refusal is what stood before the connect. A credential rule for a name that
 * resolves to a private address never sends the credential.
 *
 * <p>Skipped, with the reason, when not root or when unshare, nsenter, ip, curl or python3 is missing.
 */
class EgressNamespaceIT {
    private static final String PROHIBITED = "Proxy-Status: credproxy; error=destination_ip_prohibited";
    /** Name, the address the hosts file gives it, and how the daemon describes that address. */
    private static final List<List<String>> NAMES = List.of(
            List.of("metadata.test", "169.254.169.254", "169.254.169.254 is link-local"),
            List.of("metadata.google.internal", "169.254.169.254", "169.254.169.254 is link-local"),
            List.of("private.test", "10.1.2.3", "10.1.2.3 is private-use"),
            List.of("rfc1918.test", "192.168.1.1", "192.168.1.1 is private-use"),
            List.of("cgnat.test", "100.64.0.1", "100.64.0.1 is shared address space"),
            List.of("ula.test", "fd00::1", "fd00::1 is private-use"),
            List.of("linklocal6.test", "fe80::1", "fe80::1 is link-local"),
            List.of("zero.test", "0.0.0.0", "0.0.0.0 is unspecified"),
            List.of("loop.test", "127.0.0.1", "127.0.0.1 is loopback"),
            List.of("localhost", "127.0.0.1", "127.0.0.1 is loopback"));

    @TempDir
    Path dir;
    private final String ruledKey = Canaries.value("RULED_KEY");

    @Test
    void namesResolvingToInternalAddressesAreRefusedWithoutAConnect() throws Exception {
        assumeNamespaces();
        Path out = Files.createDirectories(dir.resolve("closed"));
        try (ChildDaemon daemon = startInNamespace(out, "")) {
            List<String> nsenter = nsenter(daemon);
            for (List<String> name : NAMES) {
                Curl.Result tunnel = Curl.run(nsenter, out, List.of("--proxy", proxy(daemon), "https://" + name.get(0) + ":443/"));
                assertThat(tunnel.headers()).as(name.get(0)).startsWith("HTTP/1.1 403").contains(PROHIBITED).contains(name.get(2));
                Curl.Result plain = Curl.run(nsenter, out, List.of("--proxy", proxy(daemon), "http://" + name.get(0) + "/latest/meta-data/"));
                assertThat(plain.status()).as(name.get(0)).isEqualTo(403);
                assertThat(plain.headers()).as(name.get(0)).contains(PROHIBITED);
                assertThat(plain.body()).as(name.get(0)).contains(name.get(0) + ": " + name.get(2));
            }
            // A credential rule for a name that resolves to a private address: the tunnel is intercepted,
            // the request refused before the connect, and the credential never leaves.
            Curl.Result ruled = Curl.run(nsenter, out, List.of("--proxy", proxy(daemon), "--cacert", out.resolve("ca/ca.pem").toString(),
                    "https://ruled.test/v1/secrets"));
            assertThat(ruled.status()).as(ruled.stderr()).isEqualTo(403);
            assertThat(ruled.headers()).containsIgnoringCase(PROHIBITED).contains("10.9.8.7 is private-use");

            Path auditLog = out.resolve("audit.jsonl");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(auditLog).lines().count() >= 2L * NAMES.size() + 1);
            String audit = Files.readString(auditLog);
            assertThat(audit.lines()).hasSize(2 * NAMES.size() + 1).allSatisfy(line -> assertThat(line)
                    .contains("\"decision\":\"denied\"").contains("\"status\":403").contains("not in egress.allow_addresses"));
            assertThat(audit).as("no secret was added to any request").doesNotContain("RULED_KEY");
            assertThat(Canaries.findLeaks(Map.of("RULED_KEY", ruledKey), List.of(out), Map.of())).isEmpty();
        }
    }

    @Test
    void withTheRangesOptedInTheDaemonDoesConnectSoTheRefusalCameBeforeIt() throws Exception {
        assumeNamespaces();
        Path out = Files.createDirectories(dir.resolve("open"));
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("hello.txt"), "hello from the namespace\n");
        String egress = "egress:\n  allow_addresses: [\"169.254.0.0/16\", \"10.0.0.0/8\", \"fd00::/8\", \"127.0.0.0/8\"]\n";
        try (ChildDaemon daemon = startInNamespace(out, egress)) {
            List<String> nsenter = nsenter(daemon);
            Process upstream = new ProcessBuilder(concat(nsenter, List.of("python3", "-m", "http.server", "8000", "--bind", "127.0.0.1",
                    "--directory", www.toString()))).redirectErrorStream(true).redirectOutput(out.resolve("upstream.log").toFile()).start();
            try {
                for (String name : List.of("metadata.test", "private.test", "ula.test")) {
                    Curl.Result r = Curl.run(nsenter, out, List.of("--proxy", proxy(daemon), "http://" + name + "/latest/meta-data/"));
                    // No route in the namespace: a connect was attempted and failed (a 502), not refused.
                    assertThat(r.status()).as(name).isEqualTo(502);
                    assertThat(r.headers()).as(name).doesNotContain("destination_ip_prohibited");
                }
                Curl.Result loop = null;
                for (int i = 0; i < 50 && (loop == null || loop.status() != 200); i++) {
                    Thread.sleep(100); // python's start-up
                    loop = Curl.run(nsenter, out, List.of("--proxy", proxy(daemon), "http://loop.test:8000/hello.txt"));
                }
                assertThat(loop.status()).isEqualTo(200);
                assertThat(loop.body()).isEqualTo("hello from the namespace\n");
            } finally {
                upstream.destroy();
                upstream.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private ChildDaemon startInNamespace(Path out, String extraConfig) throws Exception {
        Path hosts = Files.writeString(out.resolve("hosts"), String.join("\n", NAMES.stream()
                .map(n -> n.get(1) + " " + n.get(0)).toList()) + "\n10.9.8.7 ruled.test\n");
        // The secret lives apart from everything the leak search reads.
        Path secrets = Canaries.writeEnvFile(Files.createDirectories(dir.resolve(out.getFileName() + "-secret")).resolve("secrets.env"),
                Map.of("RULED_KEY", ruledKey));
        Path config = Files.writeString(out.resolve("credproxy.yaml"), String.join("\n",
                "listen: 127.0.0.1:0",
                "admin: 127.0.0.1:0",
                "secrets: " + secrets,
                "ca_dir: " + out.resolve("ca"),
                "audit_log: " + out.resolve("audit.jsonl"),
                "rules:",
                "  - host: ruled.test",
                "    headers: {Authorization: \"Bearer ${RULED_KEY}\"}",
                "") + extraConfig);
        // unshare execs sh, which brings lo up and execs java: the daemon's pid is the process's.
        List<String> inNamespace = List.of("unshare", "--net", "sh", "-c",
                "PATH=\"$PATH:/usr/sbin:/sbin\" ip link set lo up && exec \"$@\"", "sh");
        return ChildDaemon.start(inNamespace, config, out, List.of("-Djdk.net.hosts.file=" + hosts), List.of(), false);
    }

    private static List<String> nsenter(ChildDaemon daemon) {
        return List.of("nsenter", "--net=/proc/" + daemon.pid() + "/ns/net");
    }

    private static String proxy(ChildDaemon daemon) {
        return "http://127.0.0.1:" + daemon.proxyPort();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void assumeNamespaces() throws IOException {
        assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS)) == 0,
                "network namespaces need root");
        for (String tool : List.of("unshare", "nsenter", "ip", "curl", "python3")) {
            assumeTrue(onPath(tool), tool + " is not installed");
        }
    }

    private static boolean onPath(String tool) {
        for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
