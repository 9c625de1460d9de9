package io.credproxy.daemon.it;

import static org.awaitility.Awaitility.await;

import io.credproxy.daemon.Daemon;
import io.credproxy.daemon.DaemonOptions;
import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.testing.Canaries;
import io.credproxy.testing.RecordingH2Upstream;
import io.credproxy.testing.RecordingUpstream;
import io.credproxy.testing.TestPki;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * An in-process daemon in front of HTTP/2 upstreams, for the h2, gRPC and WebSocket tests.
 *
 * <p>Hosts (all mapped with {@code upstream.resolve}; the test PKI's certificate covers them):
 * <ul>
 *   <li>{@value #H2}: an h2-only upstream, rule {@code Authorization: Bearer ${H2_TOKEN}};
 *   <li>{@value #LIMITED}: an h2 upstream allowing two concurrent streams per connection, same rule;
 *   <li>{@value #H1}: an HTTP/1.1-only upstream (no ALPN), same rule: translation both ways;
 *   <li>{@value #OPAQUE}: the h2 upstream, no rule: an opaque tunnel;
 *   <li>{@link #extraHosts}: hosts a test class adds (gRPC, WebSocket servers), each with a rule
 *       setting {@code X-Goog-Api-Key: ${EXTRA_KEY}}.
 * </ul>
 */
final class H2Fixture implements AutoCloseable {
    static final String H2 = "h2.api.test";
    static final String LIMITED = "limited.api.test";
    static final String H1 = "h1.api.test";
    static final String OPAQUE = "opaque.test";
    static final List<String> NAMES = List.of(H2, LIMITED, H1, OPAQUE, "grpc.api.test", "ws.api.test", "opaque-ws.test");

    final Path dir;
    final Path outDir;
    final TestPki pki;
    final RecordingH2Upstream h2;
    final RecordingH2Upstream limited;
    final RecordingUpstream h1;
    final Map<String, String> secrets = Canaries.values("H2_TOKEN", "EXTRA_KEY");
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    final Path upstreamCaPem;
    final Path daemonCaPem;
    final Daemon daemon;

    H2Fixture(Path dir) throws Exception {
        this(dir, fixture -> Map.of());
    }

    /**
     * @param extraHostsFor given this fixture (its PKI and secrets made), {@code host -> 127.0.0.1:port} of more upstreams; each
     *     gets a rule setting {@code X-Goog-Api-Key: ${EXTRA_KEY}}, except names starting with
     *     {@code opaque}, which get none (opaque tunnels)
     */
    H2Fixture(Path dir, Function<H2Fixture, Map<String, String>> extraHostsFor) throws Exception {
        this.dir = dir;
        this.outDir = Files.createDirectories(dir.resolve("out"));
        pki = TestPki.create("h2 upstream test CA", NAMES);
        Map<String, String> extraHosts = extraHostsFor.apply(this);
        h2 = RecordingH2Upstream.start(pki);
        limited = RecordingH2Upstream.start(pki, false, 2);
        h1 = RecordingUpstream.https(pki);
        upstreamCaPem = pki.writeCaPem(dir.resolve("upstream-ca.pem"));
        Path secretsFile = Canaries.writeEnvFile(Files.createDirectories(dir.resolve("secret")).resolve("secrets.env"), secrets);
        Map<String, String> resolve = new LinkedHashMap<>();
        resolve.put(H2, h2.address());
        resolve.put(LIMITED, limited.address());
        resolve.put(H1, h1.address());
        resolve.put(OPAQUE, h2.address());
        resolve.putAll(extraHosts);
        StringBuilder yaml = new StringBuilder()
                .append("listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\n")
                .append("secrets: ").append(secretsFile).append('\n')
                .append("ca_dir: ").append(dir.resolve("ca")).append('\n')
                .append("audit_log: ").append(outDir.resolve("audit.jsonl")).append('\n')
                .append("upstream:\n  extra_ca: [").append(upstreamCaPem).append("]\n")
                .append("  connect_timeout_ms: 3000\n  response_timeout_ms: 5000\n  resolve:\n");
        resolve.forEach((host, address) -> yaml.append("    \"").append(host).append(":443\": \"").append(address).append("\"\n"));
        yaml.append("rules:\n");
        for (String host : List.of(H2, LIMITED, H1)) {
            yaml.append("  - host: ").append(host).append("\n    headers: {Authorization: \"Bearer ${H2_TOKEN}\"}\n");
        }
        for (String host : extraHosts.keySet().stream().filter(h -> !h.startsWith("opaque")).toList()) {
            yaml.append("  - host: ").append(host).append("\n    headers: {X-Goog-Api-Key: \"${EXTRA_KEY}\"}\n");
        }
        Path config = Files.writeString(dir.resolve("credproxy.yaml"), yaml);
        daemon = Daemon.start(new ConfigLoader().load(config), DaemonOptions.defaults().withAuditSink(events::add).withWorkerThreads(2));
        daemonCaPem = Files.writeString(dir.resolve("daemon-ca.pem"), daemon.certificateAuthority().certificatePem());
    }

    int proxyPort() {
        return daemon.proxyAddress().getPort();
    }

    String proxyUrl() {
        return "http://127.0.0.1:" + proxyPort();
    }

    String secret(String name) {
        return secrets.get(name);
    }

    SSLContext trustDaemon() throws Exception {
        return TestPki.trusting(daemon.certificateAuthority().certificate());
    }

    /** curl through the daemon as {@code app}, trusting the daemon's CA. */
    Curl.Result curl(String app, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("--proxy", proxyUrl(), "--proxy-user", app + ":", "--cacert",
                daemonCaPem.toString()));
        command.addAll(List.of(args));
        return Curl.run(outDir, command);
    }

    /** A raw h2 client in a tunnel to {@code host:443}, server name {@code sni}. */
    RawH2Client raw(String app, String host, String sni, String... neverIndexed) throws Exception {
        return RawH2Client.open(proxyPort(), app, host + ":443", sni, trustDaemon(), Set.of(neverIndexed));
    }

    /** A raw h2 client whose socket buffers almost nothing: a client that does not read backs up the daemon's writes at once. */
    RawH2Client rawNotReading(String app, String host) throws Exception {
        return RawH2Client.open(proxyPort(), app, host + ":443", host, trustDaemon(), Set.of(), 4096);
    }

    HttpClient jdkClient(HttpClient.Version version) throws Exception {
        return HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort())))
                .sslContext(trustDaemon())
                .version(version)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The audit events of {@code app}, once at least {@code n} were recorded. */
    List<AuditEvent> events(String app, int n) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> events.stream().filter(e -> e.app().equals(app)).count() >= n);
        return events.stream().filter(e -> e.app().equals(app)).toList();
    }

    /** Every place a secret value shows up: the output directory (curl bodies, audit log) and {@code texts}. */
    List<String> leaks(Map<String, String> texts) throws Exception {
        return Canaries.findLeaks(secrets, List.of(outDir), texts);
    }

    @Override
    public void close() {
        daemon.close();
        h2.close();
        limited.close();
        h1.close();
    }
}
