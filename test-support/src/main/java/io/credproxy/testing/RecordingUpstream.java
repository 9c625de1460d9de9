package io.credproxy.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/**
 * A local upstream on 127.0.0.1 that records every request, for tests.
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver} so that the fixture shares no code with the
 * daemon under test. Endpoints, whatever the host:
 * <ul>
 *   <li>{@code /sse?events=N&intervalMs=M}: a {@code text/event-stream} of N events, M ms apart;
 *   <li>{@code /bytes?n=N}: a body of N bytes, streamed;
 *   <li>{@code /status/CODE}: an empty response with that status;
 *   <li>{@code /delay?ms=N}: waits N ms before answering like the echo below (response timeouts);
 *   <li>{@code /reflect-header/NAME}: 200 with the request's NAME header values copied into the
 *       response header {@code X-Reflected} (an upstream that echoes a credential back);
 *   <li>anything else: what the {@link Answerer} says; by default 200 {@code text/plain} echoing
 *       method, path and the count of body bytes read (request bodies are read and counted, never
 *       kept whole).
 * </ul>
 */
public final class RecordingUpstream implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
    private final Answerer answerer;

    /** What the upstream answers to a request that no built-in endpoint takes. */
    @FunctionalInterface
    public interface Answerer {
        Answer answer(RecordedRequest request);
    }

    /** A response: status, content type and body. */
    public record Answer(int status, String contentType, String body) {}

    /** The default: 200, echoing method, path (without query) and the request body's size. */
    public static final Answerer ECHO = r -> new Answer(200, "text/plain; charset=utf-8",
            r.method() + " " + r.uri().split("\\?", 2)[0] + " body=" + r.bodyBytes() + "\n");

    private RecordingUpstream(HttpServer server, Answerer answerer) {
        this.server = server;
        this.answerer = answerer;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-upstream");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** An HTTPS upstream presenting {@code pki}'s server certificate. */
    public static RecordingUpstream https(TestPki pki) throws IOException {
        return https(pki, ECHO);
    }

    /** An HTTPS upstream presenting {@code pki}'s server certificate, answering other paths with {@code answerer}. */
    public static RecordingUpstream https(TestPki pki, Answerer answerer) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(TestPki.loopback(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(pki.serverContext()));
        return new RecordingUpstream(server, answerer);
    }

    /** A plain-HTTP upstream. */
    public static RecordingUpstream plain() throws IOException {
        return plain(ECHO);
    }

    /** A plain-HTTP upstream answering other paths with {@code answerer}. */
    public static RecordingUpstream plain(Answerer answerer) throws IOException {
        return new RecordingUpstream(HttpServer.create(new InetSocketAddress(TestPki.loopback(), 0), 64), answerer);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:port}, as written in {@code upstream.resolve}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public List<RecordedRequest> requests() {
        return new ArrayList<>(requests);
    }

    public void clear() {
        requests.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long bodyBytes = drain(exchange.getRequestBody());
            URI uri = exchange.getRequestURI();
            RecordedRequest recorded = new RecordedRequest(exchange.getRequestMethod(), uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), headers(exchange), bodyBytes, sni(exchange), port());
            requests.add(recorded);
            String path = uri.getPath();
            Map<String, String> query = query(uri.getRawQuery());
            if (path.equals("/sse")) {
                sse(exchange, intParam(query, "events", 3), intParam(query, "intervalMs", 50));
            } else if (path.equals("/bytes")) {
                bytes(exchange, Long.parseLong(query.getOrDefault("n", "0")));
            } else if (path.startsWith("/reflect-header/")) {
                List<String> values = exchange.getRequestHeaders().get(path.substring("/reflect-header/".length()));
                if (values != null) {
                    exchange.getResponseHeaders().put("X-Reflected", new ArrayList<>(values));
                }
                exchange.sendResponseHeaders(200, -1);
            } else if (path.startsWith("/status/")) {
                exchange.sendResponseHeaders(Integer.parseInt(path.substring("/status/".length())), -1);
            } else {
                if (path.equals("/delay")) {
                    sleep(intParam(query, "ms", 1000));
                }
                Answer answer = answerer.answer(recorded);
                byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
                exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
            }
        }
    }

    private static void sse(HttpExchange exchange, int events, int intervalMs) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < events; i++) {
            out.write(("id: " + i + "\ndata: event " + i + " sent " + System.nanoTime() + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (i + 1 < events) {
                sleep(intervalMs);
            }
        }
    }

    private static void bytes(HttpExchange exchange, long n) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, n == 0 ? -1 : n);
        byte[] chunk = new byte[64 * 1024];
        OutputStream out = exchange.getResponseBody();
        for (long left = n; left > 0; ) {
            int len = (int) Math.min(chunk.length, left);
            out.write(chunk, 0, len);
            left -= len;
        }
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int r; (r = in.read(buffer)) >= 0; ) {
            total += r;
        }
        return total;
    }

    private static Map<String, List<String>> headers(HttpExchange exchange) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                out.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        return out;
    }

    private static String sni(HttpExchange exchange) {
        if (!(exchange instanceof HttpsExchange https)) {
            return null;
        }
        SSLSession session = https.getSSLSession();
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return out;
    }

    private static int intParam(Map<String, String> query, String name, int fallback) {
        try {
            return Integer.parseInt(query.getOrDefault(name, String.valueOf(fallback)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
