package io.credproxy.daemon.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.credproxy.protocol.config.HostPort;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FenceRulesTest {
    private static final List<HostPort> DAEMON = List.of(HostPort.parse("127.0.0.1:18080"), HostPort.parse("[::1]:18081"));

    @Test
    void onlyTheFencedUidsJumpAndTheyMayReachTheDaemonAlone() {
        String script = new FenceRules(List.of("1001", "tito", "1001"), DAEMON).render();

        assertThat(script).contains("table inet credproxy_fence\ndelete table inet credproxy_fence\ntable inet credproxy_fence {")
                .contains("type filter hook output priority filter; policy accept;")
                .contains("meta skuid { 1001, \"tito\" } jump fenced")
                .contains("ip daddr 127.0.0.1 tcp dport 18080 accept")
                .contains("ip6 daddr ::1 tcp dport 18081 accept")
                .contains("meta l4proto tcp counter reject with tcp reset")
                .contains("counter reject with icmpx admin-prohibited");
        // The only rule in the hooked chain matches by owner: packets of other users (and of no socket) pass.
        String hooked = script.substring(script.indexOf("chain output {"), script.indexOf("chain fenced {"));
        assertThat(hooked.lines().filter(l -> !l.isBlank() && !l.contains("chain output") && !l.contains("type filter") && !l.strip().equals("}")))
                .containsExactly("\t\tmeta skuid { 1001, \"tito\" } jump fenced");
    }

    @Test
    void nftAcceptsTheScript() throws Exception {
        assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS)) == 0, "nft -c needs root");
        Path nft = Nft.find().orElse(null);
        assumeTrue(nft != null, "nft is not installed");
        Path file = Files.createTempFile("fence", ".nft");
        try {
            Files.writeString(file, new FenceRules(List.of("64001", "nobody"), DAEMON).render());
            // Check mode, in a namespace of its own: parses and resolves, changes nothing.
            Process p = new ProcessBuilder("unshare", "--net", nft.toString(), "-c", "-f", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isZero();
        } finally {
            Files.delete(file);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "root", "openclaw-secrets", "4294967295", "99999999999", "a;b", "tito }", "\"tito\"", "Tito",
            "-1", "", "x\ny", "a b"})
    void refusesUsersThatAreNotSafeToFenceOrToWrite(String user) {
        assertThatThrownBy(() -> new FenceRules(List.of(user), DAEMON)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAnEndpointThatIsNotAnIpAddress() {
        assertThatThrownBy(() -> new FenceRules(List.of("1001"), List.of(HostPort.parse("localhost:18080"))))
                .hasMessageContaining("must be an IP address");
        assertThatThrownBy(() -> new FenceRules(List.of("1001"), List.of(HostPort.parse("proxy.internal:18080"))))
                .hasMessageContaining("must be an IP address");
    }

    @Test
    void noUsersIsRefused() {
        assertThatThrownBy(() -> new FenceRules(List.of(), DAEMON)).hasMessage("no uid to fence");
    }
}
