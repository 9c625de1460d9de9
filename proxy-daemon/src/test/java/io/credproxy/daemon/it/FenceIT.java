package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.credproxy.daemon.fence.Nft;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credproxy fence --apply} in a private network namespace ({@code unshare -n}): with the
 * daemon and a loopback upstream in the same namespace, a fenced uid reaches the upstream only
 * through the proxy; its direct TCP (IPv4 and IPv6) and UDP are refused; another uid and root are
 * untouched. The table lives and dies with the namespace: the machine's own rules never change.
 *
 * <p>Skipped, with the reason, when not root or when nft, unshare, setpriv, curl or python3 is
 * missing; CI runs as root and {@code .ci/run} installs nftables.
 */
class FenceIT {
    private static final int FENCED = 64001;
    private static final int OTHER = 64002;

    @TempDir
    Path dir;

    @Test
    void aFencedUserReachesTheUpstreamOnlyThroughTheProxyAndOthersAreUntouched() throws Exception {
        assumeTrue(isRoot(), "the fence test needs root (network namespaces, nft, setpriv)");
        assumeTrue(Nft.find().isPresent(), "nft is not installed (Debian: nftables)");
        for (String tool : List.of("unshare", "setpriv", "curl", "ip")) {
            assumeTrue(onPath(tool), tool + " is not installed");
        }
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 is not installed");
        Path script = Path.of(FenceIT.class.getResource("/fence/in-namespace.sh").toURI());
        Path work = Files.createDirectories(dir.resolve("ns"));

        Process p = new ProcessBuilder("unshare", "--net", "bash", script.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), ChildDaemon.jar().toAbsolutePath().toString(),
                work.toString(), String.valueOf(FENCED), String.valueOf(OTHER)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Map<String, Integer> results = new LinkedHashMap<>();
        output.lines().filter(l -> l.matches("[a-z0-9-]+=\\d+")).forEach(l -> {
            String[] kv = l.split("=");
            results.put(kv[0], Integer.parseInt(kv[1]));
        });
        String evidence = output + "\n" + files(work);

        assertThat(results).as(evidence).containsEntry("fence-applied", 0).containsEntry("done", 0);
        // The fenced user: the proxy and the admin port, nothing else.
        assertThat(results).as(evidence)
                .containsEntry("fenced-via-proxy", 0)
                .containsEntry("fenced-admin", 0)
                .containsEntry("udp-delivered-fenced", 1);
        assertThat(results.get("fenced-direct-v4")).as(evidence).isNotZero();
        assertThat(results.get("fenced-direct-v6")).as(evidence).isNotZero();
        assertThat(Files.readString(work.resolve("fenced-via-proxy.out"))).contains("hello from upstream");
        // curl's 7 is "couldn't connect": the reset arrives at once, no time-out (curl gives up after 5 s).
        assertThat(results.get("fenced-direct-v4")).isEqualTo(7);
        assertThat(Files.readString(work.resolve("fenced-direct-v4.out"))).containsPattern("Failed to connect .* after \\d{1,3} ms");
        // Everyone else, exactly as before.
        assertThat(results).as(evidence)
                .containsEntry("other-direct-v4", 0)
                .containsEntry("other-direct-v6", 0)
                .containsEntry("other-udp", 0)
                .containsEntry("udp-delivered-other", 0)
                .containsEntry("root-direct-v4", 0);
        assertThat(Files.readString(work.resolve("table.txt"))).contains("meta skuid " + FENCED + " jump fenced");
    }

    private static String files(Path work) throws IOException {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.list(work)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".out") || f.toString().endsWith(".err")
                    || f.toString().endsWith(".txt") || f.toString().endsWith(".log")).sorted().toList()) {
                out.append("--- ").append(f.getFileName()).append('\n').append(Files.readString(f, StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        return out.toString();
    }

    private static boolean onPath(String tool) {
        for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS)) == 0;
    }
}
