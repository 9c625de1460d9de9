package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 admin connections each sending all but the last byte of a 1 MiB {@code POST /events}
 * (issue 11: the proxy's event loops ran out of direct memory, the proxy and {@code /healthz}
 * stopped answering for good, and SIGTERM hung). Now the admin port has its own event loop, a cap
 * of 64 connections and a 4 MiB budget for bodies in flight: the rest are closed or answered 503.
 * The proxy answers within a second throughout, {@code /healthz} says ok, everything is given
 * back afterwards, and SIGTERM stops the daemon with status 0.
 */
class AdminFloodIT {
    static final int CONNECTIONS = 1_000;
    static final int BODY = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aThousandUnfinishedMebibytePostsLeaveTheProxyAndHealthzAnswering() throws Exception {
        try (HostileWorkload w = HostileWorkload.start(dir, "")) {
            w.assertResponsive("before the attack");
            long descriptors = w.openDescriptors();
            double direct = w.directMemory();
            byte[] head = ("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + BODY
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] piece = new byte[64 * 1024];
            Arrays.fill(piece, (byte) ' ');

            // First all the connections, then the bodies on all of them: as many held at once as the daemon lets in.
            List<Socket> attack = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    try {
                        attack.add(HostileWorkload.attackerSocket(w.child.adminPort()));
                    } catch (IOException e) {
                        // refused by a full backlog: one fewer
                    }
                }
                for (Socket s : attack) {
                    pool.execute(() -> {
                        try {
                            boolean open = HostileWorkload.tryWrite(s, head);
                            for (int sent = 0; open && sent < BODY - piece.length; sent += piece.length) {
                                open = HostileWorkload.tryWrite(s, piece);
                            }
                            if (open) {
                                HostileWorkload.tryWrite(s, Arrays.copyOf(piece, piece.length - 1));
                            }
                        } catch (Exception e) {
                            // the daemon closed it: what the limits are for
                        }
                    });
                }
                HostileWorkload.awaitAll(pool, 120);

                w.assertResponsive("during the attack");
                assertThat(w.healthz()).isEqualTo("200 ok");
                assertThat(w.rejections("admin_max_connections")).as("closed at the admin connection cap").isGreaterThan(0);
                assertThat(w.rejections("admin_body_budget")).as("answered 503 for want of budget").isGreaterThan(0);
            } finally {
                pool.shutdownNow();
                HostileWorkload.closeAll(attack);
            }
            w.assertResponsive("after the attack");
            w.assertRecovered(descriptors, direct);
            assertThat(w.stop()).as("SIGTERM after the attack").isZero();
        }
    }
}
