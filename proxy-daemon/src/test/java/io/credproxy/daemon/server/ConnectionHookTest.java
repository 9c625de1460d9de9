package io.credproxy.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.Connection;
import io.credproxy.daemon.pipeline.ConnectionHook;
import io.credproxy.daemon.pipeline.StageChain;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.policy.PolicyHolder;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.protocol.config.HostPort;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Hook 1 on a real loopback socket: the stage sees the peer first and may close the connection unanswered. */
class ConnectionHookTest {
    @Test
    void aHookCanHoldBackTheFirstReadUntilItKnowsWhatItNeeds() throws Exception {
        CompletableFuture<Void> identified = new CompletableFuture<>();
        ConnectionHook slow = connection -> {
            connection.readAfter(identified);
            return true;
        };
        ProxyContext proxy = new ProxyContext(new PolicyHolder(Policy.resolve(List.of(), new Secrets("test", Map.of()))), null,
                new FakeUpstreams(), new StageChain(List.of(slow)), 1000, 1000, new ProxyMetrics());
        try (Transport transport = new Transport(1);
                ProxyServer server = ProxyServer.start(transport, new HostPort("127.0.0.1", 0), proxy);
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            client.getOutputStream().write("GET /not-a-proxy-request HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.setSoTimeout(300);
            InputStream in = client.getInputStream();
            assertThatThrownBy(in::read).as("nothing is read, so nothing answered, before the hook knows")
                    .isInstanceOf(SocketTimeoutException.class);

            identified.complete(null);
            client.setSoTimeout(5_000);
            byte[] head = in.readNBytes(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 400");
        }
    }

    @Test
    void aHookWhoseReadinessFailsClosesTheConnection() throws Exception {
        ConnectionHook failing = connection -> {
            connection.readAfter(CompletableFuture.failedFuture(new IllegalStateException("lookup broke")));
            return true;
        };
        ProxyContext proxy = new ProxyContext(new PolicyHolder(Policy.resolve(List.of(), new Secrets("test", Map.of()))), null,
                new FakeUpstreams(), new StageChain(List.of(failing)), 1000, 1000, new ProxyMetrics());
        try (Transport transport = new Transport(1);
                ProxyServer server = ProxyServer.start(transport, new HostPort("127.0.0.1", 0), proxy);
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            client.setSoTimeout(5_000);
            client.getOutputStream().write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(closedWithoutAnswer(client.getInputStream())).isTrue();
        }
    }

    @Test
    void aConnectionHookSeesThePeerAndClosesTheConnectionsItRefuses() throws Exception {
        List<Connection> opened = new CopyOnWriteArrayList<>();
        List<Connection> closed = new CopyOnWriteArrayList<>();
        ConnectionHook refuseAll = new ConnectionHook() {
            @Override
            public boolean onConnectionOpened(Connection connection) {
                opened.add(connection);
                return false;
            }

            @Override
            public void onConnectionClosed(Connection connection) {
                closed.add(connection);
            }
        };
        ProxyContext proxy = new ProxyContext(new PolicyHolder(Policy.resolve(List.of(), new Secrets("test", Map.of()))), null,
                new FakeUpstreams(), new StageChain(List.of(refuseAll)), 1000, 1000, new ProxyMetrics());
        try (Transport transport = new Transport(1);
                ProxyServer server = ProxyServer.start(transport, new HostPort("127.0.0.1", 0), proxy);
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            client.setSoTimeout(5_000);
            client.getOutputStream().write("GET http://other.test/ HTTP/1.1\r\nHost: other.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();

            assertThat(closedWithoutAnswer(in)).as("closed without an answer").isTrue();
            assertThat(opened).singleElement().satisfies(c -> {
                assertThat(c.peer().getPort()).isEqualTo(client.getLocalPort());
                assertThat(c.client()).isEqualTo("127.0.0.1:" + client.getLocalPort());
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> closed.size() == 1);
            assertThat(closed.get(0)).isSameAs(opened.get(0));
        }
    }

    /**
     * End of stream, or a reset: a server that closes with the request unread makes the kernel send RST
     * instead of FIN (which one the client sees depends on whether the bytes arrived before the close).
     */
    private static boolean closedWithoutAnswer(InputStream in) throws java.io.IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return String.valueOf(e.getMessage()).contains("reset");
        }
    }
}
