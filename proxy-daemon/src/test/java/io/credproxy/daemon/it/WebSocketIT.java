package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.TestPki;
import io.credproxy.testing.WebSocketEchoServer;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSocket through the daemon with the JDK's WebSocket client: the rule's credential on the
 * handshake (the client's forged copy replaced), messages both ways, a server that reflects the
 * credential into a message redacted, one audit record per WebSocket with its byte counts, an idle
 * WebSocket closed, and a host without a rule left an opaque tunnel.
 */
class WebSocketIT {
    static final String WS = "ws.api.test";
    static final String OPAQUE_WS = "opaque-ws.test";

    @TempDir
    static Path dir;
    static H2Fixture fx;
    static WebSocketEchoServer server;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("credproxy.websocket.idle_timeout_ms", "2000");
        fx = new H2Fixture(dir, f -> {
            try {
                server = WebSocketEchoServer.start(f.pki);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of(WS, server.address(), OPAQUE_WS, server.address());
        });
    }

    @AfterAll
    static void stop() {
        System.clearProperty("credproxy.websocket.idle_timeout_ms");
        if (fx != null) {
            fx.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Collects whole messages (binary ones as ISO-8859-1 text) and the close. */
    static final class Collector implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.append(new String(bytes, StandardCharsets.ISO_8859_1));
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }

        String next() throws InterruptedException {
            String m = messages.poll(15, TimeUnit.SECONDS);
            assertThat(m).as("a message within 15 s").isNotNull();
            return m;
        }
    }

    private WebSocket open(String host, SSLContext trust, Collector collector) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", fx.proxyPort())))
                .sslContext(trust)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        return client.newWebSocketBuilder()
                .header("X-Goog-Api-Key", "forged-by-the-client")
                .buildAsync(URI.create("wss://" + host + "/ws"), collector)
                .get(15, TimeUnit.SECONDS);
    }

    private List<AuditEvent> eventsFor(String host) {
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.events.stream().anyMatch(e -> e.host().equals(host)));
        return fx.events.stream().filter(e -> e.host().equals(host)).toList();
    }

    @Test
    void theHandshakeCarriesTheCredentialMessagesFlowAndAReflectedCredentialIsRedacted() throws Exception {
        Collector collector = new Collector();
        WebSocket ws = open(WS, fx.trustDaemon(), collector);

        ws.sendText("hello", true).get(10, TimeUnit.SECONDS);
        assertThat(collector.next()).isEqualTo("hello");
        ws.sendText("reflect:x-goog-api-key", true).get(10, TimeUnit.SECONDS);
        String reflected = collector.next();
        ws.sendText("big:300000", true).get(10, TimeUnit.SECONDS);
        String big = collector.next();
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        collector.closed.get(15, TimeUnit.SECONDS);

        assertThat(server.handshakes()).hasSize(1);
        assertThat(server.handshakes().get(0).get("x-goog-api-key")).containsExactly(fx.secret("EXTRA_KEY"));
        assertThat(server.handshakes().get(0)).doesNotContainKey("sec-websocket-extensions");
        assertThat(reflected).doesNotContain(fx.secret("EXTRA_KEY")).contains("[REDACTED]");
        assertThat(big).hasSize(300_000);
        AuditEvent event = eventsFor(WS).get(0);
        assertThat(eventsFor(WS)).hasSize(1);
        assertThat(event.status()).isEqualTo(101);
        assertThat(event.decision()).isEqualTo(Decision.INJECTED);
        assertThat(event.secretNames()).containsExactly("EXTRA_KEY");
        assertThat(event.bytesDown()).isGreaterThan(300_000);
        assertThat(event.bytesUp()).isGreaterThan(0);
        assertThat(fx.leaks(Map.of("messages", reflected))).isEmpty();
    }

    /**
     * The spellings the policy's redactor alone does not know (every byte percent-encoded; Base64 of a
     * Basic credential, the value two bytes into it) come out redacted too, as in a response body.
     */
    @Test
    void aCredentialReflectedInAnotherSpellingIsRedactedToo() throws Exception {
        String secret = fx.secret("EXTRA_KEY");
        StringBuilder percent = new StringBuilder();
        for (byte b : secret.getBytes(StandardCharsets.UTF_8)) {
            percent.append('%').append(String.format("%02x", b & 0xff));
        }
        String basic = Base64.getEncoder().encodeToString(("u:" + secret).getBytes(StandardCharsets.UTF_8));
        Collector collector = new Collector();
        WebSocket ws = open(WS, fx.trustDaemon(), collector);

        ws.sendText("reflect-percent:x-goog-api-key", true).get(10, TimeUnit.SECONDS);
        String percentReflected = collector.next();
        ws.sendText("reflect-basic:x-goog-api-key", true).get(10, TimeUnit.SECONDS);
        String basicReflected = collector.next();
        ws.sendText("reflect-binary:x-goog-api-key", true).get(10, TimeUnit.SECONDS);
        String binaryReflected = collector.next();
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);

        assertThat(percentReflected).doesNotContain(percent.substring(3, percent.length() - 3)).contains("[REDACTED]");
        // The middle of the encoding is the value's alone; at most a character at each end mixes in its neighbours.
        assertThat(basicReflected).doesNotContain(basic.substring(4, basic.length() - 4)).contains("[REDACTED]");
        assertThat(binaryReflected).doesNotContain(secret).contains("[REDACTED]");
        assertThat(fx.leaks(Map.of("percent", percentReflected, "basic", basicReflected, "binary", binaryReflected))).isEmpty();
    }

    @Test
    void anIdleWebSocketIsClosed() throws Exception {
        Collector collector = new Collector();
        WebSocket ws = open(WS, fx.trustDaemon(), collector);
        ws.sendText("ping", true).get(10, TimeUnit.SECONDS);
        assertThat(collector.next()).isEqualTo("ping");

        assertThat(collector.closed.get(15, TimeUnit.SECONDS)).as("closed after the idle timeout").isNotNull();
    }

    @Test
    void aHostWithoutARuleIsAnOpaqueTunnel() throws Exception {
        Collector collector = new Collector();
        WebSocket ws = open(OPAQUE_WS, TestPki.trusting(fx.pki.caCertificate()), collector);
        ws.sendText("reflect:x-goog-api-key", true).get(10, TimeUnit.SECONDS);

        assertThat(collector.next()).isEqualTo("[forged-by-the-client]");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        collector.closed.get(15, TimeUnit.SECONDS);
        assertThat(eventsFor(OPAQUE_WS).get(0).decision()).isEqualTo(Decision.TUNNEL);
    }
}
