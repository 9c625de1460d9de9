package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full descriptor table no longer stops the proxy behind a healthy-looking {@code /healthz}
 * (issue 11). The daemon runs with an open-file limit of {@value #NOFILE} ({@code prlimit}), so its
 * connection limit, derived from that, is (420 - 256 reserved - 64 for the admin port) / 2 = 50, 25
 * per peer. Idle connections from three attacker addresses fill it: the surplus is closed at once
 * and counted, {@code /healthz} says 503 and why, and once the attacker leaves all is as before.
 */
class ConnectionLimitsIT {
    static final int NOFILE = 420;

    @TempDir
    Path dir;

    @Test
    void aFullConnectionTableShowsOnHealthzAndClearsWhenTheAttackerLeaves() throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/prlimit"))).as("prlimit (util-linux) runs the daemon with a small fd limit").isTrue();
        try (HostileWorkload w = HostileWorkload.start(dir, "", Map.of(),
                List.of("/usr/bin/prlimit", "--nofile=" + NOFILE + ":" + NOFILE, "--"))) {
            assertThat(w.metric("process_max_fds")).isEqualTo(NOFILE);
            assertThat(w.metric("credproxy_connections_max")).isEqualTo(50);
            w.assertResponsive("before the attack");
            long descriptors = w.openDescriptors();
            double direct = w.directMemory();

            List<Socket> attack = new ArrayList<>();
            try {
                open(attack, 2, w);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(w.metric("credproxy_connections_active")).isEqualTo(25);
                    assertThat(w.rejections("max_connections_per_peer")).isEqualTo(5); // one peer: 25 of its 30
                });
                open(attack, 3, w);
                open(attack, 4, w);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(w.metric("credproxy_connections_active")).isEqualTo(50);
                    assertThat(w.rejections("max_connections")).isEqualTo(35); // 5 of the second peer's, all the third's
                });
                assertThat(w.healthz()).isEqualTo("503 unhealthy: connection limit reached (50)");
                assertThat(w.openDescriptors()).as("descriptors at the limit").isLessThan(NOFILE - 100);
            } finally {
                HostileWorkload.closeAll(attack);
            }
            w.assertResponsive("after the attack");
            w.assertRecovered(descriptors, direct);
            assertThat(w.stop()).isZero();
        }
    }

    /** 30 idle connections from 127.0.0.{@code peer}. */
    private static void open(List<Socket> attack, int peer, HostileWorkload w) throws Exception {
        InetAddress from = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) peer});
        for (int i = 0; i < 30; i++) {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), w.fx.proxyPort()), 5000);
            attack.add(s);
        }
    }
}
