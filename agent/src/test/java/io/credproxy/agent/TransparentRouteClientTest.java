package io.credproxy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.agent.bootstrap.DaemonAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The agent's side of the transparent listeners: one admin exchange per destination, answers checked. */
class TransparentRouteClientTest {

    @Test
    void asksOncePerDestinationAndKnowsTheListenersItWasGiven() throws Exception {
        try (FakeAdmin admin = new FakeAdmin("200 OK", "127.0.0.1:40123\n")) {
            TransparentRouteClient routes = new TransparentRouteClient(DaemonAddress.literal("127.0.0.1", admin.port()), "tito");
            InetSocketAddress listener = routes.listenerFor("api.example.com", 443);
            assertThat(routes.listenerFor("api.example.com", 443)).isEqualTo(listener);
            assertThat(listener).isEqualTo(new InetSocketAddress("127.0.0.1", 40123));
            assertThat(admin.requestLines).containsExactly("POST /transparent?app=tito&host=api.example.com&port=443 HTTP/1.0");
            assertThat(routes.isListener(new byte[] {127, 0, 0, 1}, 40123)).isTrue();
            assertThat(routes.isListener(new byte[] {127, 0, 0, 1}, 40124)).isFalse();
        }
    }

    @Test
    void aHostThatIsNoHostNameNeverReachesTheRequestLine() throws Exception {
        try (FakeAdmin admin = new FakeAdmin("200 OK", "127.0.0.1:40123\n")) {
            TransparentRouteClient routes = new TransparentRouteClient(DaemonAddress.literal("127.0.0.1", admin.port()), "tito");
            for (String host : List.of("a\r\nX-Evil: 1", "a&app=other", "a b", "a/b", "")) {
                assertThatThrownBy(() -> routes.listenerFor(host, 443)).as(host).isInstanceOf(IOException.class);
            }
            assertThat(admin.requestLines).isEmpty();
        }
    }

    @Test
    void aRefusalOrAnAnswerThatIsNoAddressFails() throws Exception {
        for (String[] answer : new String[][] {{"503 Service Unavailable", "all 512 transparent listeners are in use\n"},
                {"200 OK", "evil.example:443\n"}, {"200 OK", "nonsense"}}) {
            try (FakeAdmin admin = new FakeAdmin(answer[0], answer[1])) {
                TransparentRouteClient routes = new TransparentRouteClient(DaemonAddress.literal("127.0.0.1", admin.port()), "tito");
                assertThatThrownBy(() -> routes.listenerFor("api.example.com", 443)).as(answer[1]).isInstanceOf(IOException.class);
            }
        }
    }

    /** An admin port that gives every request the same answer and remembers the request lines. */
    private static final class FakeAdmin implements AutoCloseable {
        final List<String> requestLines = new CopyOnWriteArrayList<>();
        private final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final Thread thread;

        FakeAdmin(String status, String body) throws IOException {
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        InputStream in = socket.getInputStream();
                        StringBuilder head = new StringBuilder();
                        while (!head.toString().endsWith("\r\n\r\n")) {
                            int b = in.read();
                            if (b < 0) {
                                break;
                            }
                            head.append((char) b);
                        }
                        requestLines.add(head.toString().split("\r\n", 2)[0]);
                        OutputStream out = socket.getOutputStream();
                        out.write(("HTTP/1.1 " + status + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
