package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static io.credproxy.daemon.it.DaemonFixture.PASSTHROUGH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.credproxy.testing.TestPki;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM stops the daemon gracefully (issue 11: it used to cut requests in flight and exit 143,
 * which systemd counts as a failure): it stops accepting, lets exchanges in flight finish within
 * {@code limits.shutdown_grace_ms}, flushes the audit log and exits 0; what is still busy at the
 * end of the grace is closed.
 */
class GracefulStopIT {
    @TempDir
    Path dir;

    @Test
    void sigtermDuringATwoSecondAnswerGivesTheClientIts200AndExitsZero() throws Exception {
        try (HostileWorkload w = HostileWorkload.start(dir, "")) {
            RawClient idle = w.fx.raw(); // an idle keep-alive connection must not hold the stop up
            CompletableFuture<RawClient.Response> slow = CompletableFuture.supplyAsync(() -> {
                try (RawClient client = w.fx.raw()) {
                    client.connect(CLOUDFLARE + ":443");
                    client.startTls(TestPki.trusting(w.fx.daemonCa()), CLOUDFLARE);
                    client.send("GET /delay?ms=2000 HTTP/1.1\r\nHost: " + CLOUDFLARE + "\r\n\r\n");
                    return client.readResponse();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> w.fx.https.requests().stream().anyMatch(r -> r.uri().startsWith("/delay")));
            long signalled = System.nanoTime();
            w.child.terminate();

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(refused(w.fx.proxyPort())).as("new connections refused").isTrue());
            RawClient.Response response = slow.get();
            assertThat(response.status()).isEqualTo(200);
            assertThat(w.child.awaitExit(Duration.ofSeconds(15))).as("exit status").isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).as("stopped within the grace").isLessThan(Duration.ofSeconds(10));
            assertThat(idle.closedByPeer()).isTrue();
            idle.close();
            assertThat(w.child.stderr()).contains("credproxy stopping: 2 client connection(s) open").contains("credproxy stopped")
                    .doesNotContain("still busy");
            assertThat(Files.readString(w.fx.auditLog)).as("the exchange, recorded and flushed")
                    .containsPattern("\"path\":\"/delay\"[^\\n]*\"status\":200");
        }
    }

    @Test
    void whatIsStillBusyAfterTheGraceIsClosedAndTheExitIsStillClean() throws Exception {
        try (HostileWorkload w = HostileWorkload.start(dir, "limits:\n  shutdown_grace_ms: 1500\n")) {
            RawClient tunnel = w.fx.raw();
            assertThat(tunnel.connect(PASSTHROUGH + ":443").status()).isEqualTo(200); // an opaque tunnel, open for good
            await().atMost(Duration.ofSeconds(5)).until(() -> w.metric("credproxy_tunnels_active") == 1);
            long signalled = System.nanoTime();
            w.child.terminate();

            assertThat(w.child.awaitExit(Duration.ofSeconds(15))).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(8));
            assertThat(tunnel.closedByPeer()).isTrue();
            tunnel.close();
            assertThat(w.child.stderr()).contains("1 connection(s) still busy after 1500 ms closed");
        }
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
