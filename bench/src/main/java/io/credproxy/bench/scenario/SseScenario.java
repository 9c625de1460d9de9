package io.credproxy.bench.scenario;

import io.credproxy.bench.AuthVerdict;
import io.credproxy.bench.BenchClients;
import io.credproxy.bench.ExpectedAuth;
import io.credproxy.bench.ProxyMeter;
import io.credproxy.bench.Tally;
import io.credproxy.bench.TargetSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Server-sent events through the target, on a kept-alive connection.
 *
 * <p>{@link #firstEvent}: many short streams of {@value #PACED_EVENTS} events sent
 * {@value #PACED_INTERVAL_MS} ms apart; the latency recorded is from sending the request to reading
 * the first event, and every event's delivery delay (the upstream stamps its send time; both
 * processes read the same monotonic clock). A stream with an event delayed by more than half the
 * stream's length was held back: it counts as buffered. {@link #rate}: one stream of
 * many events written back to back; events per second from sending the request to the last event.
 */
public final class SseScenario implements Scenario {
    static final int PACED_EVENTS = 5;
    static final int PACED_INTERVAL_MS = 50;

    private final String id;
    private final Kind kind;
    private final int count;
    private final boolean echo;

    private SseScenario(String id, Kind kind, int count, boolean echo) {
        this.id = id;
        this.kind = kind;
        this.count = count;
        this.echo = echo;
    }

    /** {@code streams} paced streams, timing the first event of each. */
    public static SseScenario firstEvent(String id, int streams) {
        return new SseScenario(id, Kind.SSE_FIRST_EVENT, streams, false);
    }

    /** One stream of {@code events} events as fast as the upstream can write them. */
    public static SseScenario rate(String id, int events) {
        return new SseScenario(id, Kind.SSE_RATE, events, false);
    }

    /**
     * Like {@link #rate}, with every event echoing the credential the upstream received: a redacting
     * proxy must deliver each event with {@code Bearer [REDACTED]} and never the value.
     */
    public static SseScenario echoRate(String id, int events) {
        return new SseScenario(id, Kind.SSE_RATE, events, true);
    }

    /** The upstream's send time in an event line {@code data: SEQ NANOS}; the line's own time if absent. */
    static long sentAt(String line) {
        int space = line.lastIndexOf(' ');
        try {
            return Long.parseLong(line.substring(space + 1).trim());
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return System.nanoTime();
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public Tally run(TargetSession session, boolean firstRound) throws InterruptedException {
        HttpClient client = session.clients().pooled();
        try {
            // Opens the connection (and tunnel) first, so the measured streams time events, not handshakes.
            stream(session, client, PACED_EVENTS, 0, new Tally(), false);
            Tally tally = new Tally();
            ProxyMeter meter = session.startMeter();
            long t0 = System.nanoTime();
            if (kind == Kind.SSE_FIRST_EVENT) {
                for (int i = 0; i < count; i++) {
                    stream(session, client, PACED_EVENTS, PACED_INTERVAL_MS, tally, true);
                }
            } else {
                stream(session, client, count, 0, tally, false);
            }
            tally.addElapsed(System.nanoTime() - t0);
            tally.addUsage(meter.stop());
            return tally;
        } finally {
            BenchClients.close(client);
        }
    }

    private void stream(TargetSession session, HttpClient client, int events, int intervalMs, Tally tally, boolean paced)
            throws InterruptedException {
        URI uri = URI.create(session.endpoints().sse() + "?events=" + events + "&intervalMs=" + intervalMs + (echo ? "&echo=1" : ""));
        boolean redacted = echo && session.target().redacts();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Authorization", session.auth().sentBy(session.target()))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build();
        long t0 = System.nanoTime();
        long first = 0;
        long last = 0;
        long maxDelay = 0;
        int seen = 0;
        String error = null;
        try {
            HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() != 200) {
                    error = "status " + response.statusCode();
                } else {
                    error = ExpectedAuth.mismatch(response.headers().firstValue(AuthVerdict.HEADER).orElse(null));
                }
                for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                    String line = it.next();
                    if (!line.startsWith("data:")) {
                        continue;
                    }
                    if (redacted && error == null && (session.auth().leaksInto(line) || !line.contains(ExpectedAuth.REDACTED_ECHO))) {
                        error = "event " + seen + " was not redacted";
                    }
                    long now = System.nanoTime();
                    if (seen == 0) {
                        first = now;
                    }
                    last = now;
                    seen++;
                    long delay = now - sentAt(line);
                    maxDelay = Math.max(maxDelay, delay);
                    if (paced) {
                        tally.recordEventDelay(delay);
                    }
                }
            }
            if (error == null && seen != events) {
                error = "stream ended after " + seen + " of " + events + " events";
            }
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        // For a paced stream the operation's latency is the time to its first event.
        tally.record(seen > 0 ? first - t0 : System.nanoTime() - t0, error);
        if (paced) {
            // An event that reached the client more than half the stream's length after it was sent
            // was held back: a scheduling hiccup on a busy machine is far shorter than 100 ms.
            tally.addStream(maxDelay > (events - 1) * intervalMs * 1_000_000L / 2);
        } else if (seen > 0) {
            // From the request, not the first event: a proxy that holds the stream back and then
            // releases it in one lump must not look fast.
            tally.addEvents(seen, last - t0);
        }
    }
}
