package io.credproxy.daemon.admin;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.credproxy.daemon.audit.AgentEventSink;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.daemon.config.LimitsConfig;
import io.credproxy.daemon.identity.Caller;
import io.credproxy.daemon.logging.LogText;
import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.credproxy.protocol.wire.AgentEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@code POST /events}: a batch of agent events, a JSON array as written by
 * {@link io.credproxy.protocol.wire.AgentEventJson}.
 *
 * <p>Registered for POST only (the {@link AdminRouter} answers other methods with 405). Answers 202
 * {@code {"accepted":N}} and hands every event to the sink; a body over
 * {@value AdminServer#MAX_BODY_BYTES} bytes gets 413 (from the admin server, which stops reading
 * there; checked here as well so the endpoint holds its contract on its own); anything that is not an array of valid events gets 400
 * with a short reason naming the first bad event, and then <em>no</em> event of the batch is
 * recorded. The events come from a semi-trusted process: {@link AgentEvent} bounds and sanitises
 * their text, the redactor takes out any secret value, and an event without a time gets the time it
 * arrived.
 *
 * <p>The poster is semi-trusted too, so: each event counts for the app the {@link EventAttribution}
 * names (the kernel's word on who posted it, when the daemon identifies peers), the app it claimed
 * kept as {@code claimedApp} when they differ, and a poster the attribution refuses gets 403 with
 * nothing recorded; an event whose time is more than {@value #MAX_SKEW_MILLIS} ms from the daemon's
 * clock is recorded at its arrival time instead (kept, since a late batch from an agent that could
 * not reach the daemon is still worth having, but never back- or forward-dated); and each app may
 * post {@code limits.events_per_second} events a second ({@link EventRateLimiter}): the surplus is
 * dropped and counted, the answer says how many ({@code {"accepted":N,"dropped":M}}), and a batch
 * with nothing accepted gets 429.
 */
public final class EventsEndpoint implements AdminEndpoint {
    /** Five minutes: more than any clock drift between processes on one host, less than a forged timeline needs. */
    public static final long MAX_SKEW_MILLIS = 5 * 60_000;
    private static final int MAX_REASON = 160;

    private final AgentEventSink sink;
    private final UnaryOperator<String> redactor;
    private final Clock clock;
    private final EventAttribution attribution;
    private final EventRateLimiter rate;
    private final LimitMetrics metrics;

    /**
     * Databind is about 640 classes and 3.8 MiB of metaspace for the life of the process: it is loaded
     * with the first {@code POST /events}, not by a daemon whose agents have nothing to report.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = AuditJson.newMapper();
    }

    /**
     * @param sink receives the events (the daemon's composite sink)
     * @param redactor applied to the events' text fields ({@code Redactor::redact})
     * @param attribution who the events count for
     * @param eventsPerSecond and {@code eventsBurst}: each app's token bucket
     */
    public EventsEndpoint(AgentEventSink sink, UnaryOperator<String> redactor, Clock clock, EventAttribution attribution,
            int eventsPerSecond, int eventsBurst, LimitMetrics metrics) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.attribution = Objects.requireNonNull(attribution, "attribution");
        this.rate = new EventRateLimiter(eventsPerSecond, eventsBurst);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** With the default limits (tests). */
    public EventsEndpoint(AgentEventSink sink, UnaryOperator<String> redactor, Clock clock, EventAttribution attribution) {
        this(sink, redactor, clock, attribution, LimitsConfig.DEFAULT_EVENTS_PER_SECOND, LimitsConfig.DEFAULT_EVENTS_BURST,
                new LimitMetrics(new SimpleMeterRegistry()));
    }

    /** With the default limits, every event counted for the app it names (tests). */
    public EventsEndpoint(AgentEventSink sink, UnaryOperator<String> redactor, Clock clock) {
        this(sink, redactor, clock, EventAttribution.AS_CLAIMED);
    }

    public EventsEndpoint(AgentEventSink sink, UnaryOperator<String> redactor) {
        this(sink, redactor, Clock.systemUTC());
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        byte[] body = request.body();
        if (body.length > AdminServer.MAX_BODY_BYTES) {
            return text(413, "body too large: at most " + AdminServer.MAX_BODY_BYTES + " bytes per batch");
        }
        if (body.length == 0) {
            return text(400, "empty body: expected a JSON array of events");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            return text(400, "not valid JSON" + where);
        } catch (java.io.IOException e) {
            return text(400, "cannot read the body");
        }
        if (root == null || !root.isArray()) {
            return text(400, "expected a JSON array of events");
        }
        List<AgentEvent> events = new ArrayList<>(root.size());
        long now = clock.millis();
        Function<String, Caller> poster = attribution.forRequest(request);
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            if (!node.isObject()) {
                return text(400, "event " + i + ": expected a JSON object");
            }
            if (!node.hasNonNull("kind")) {
                return text(400, "event " + i + ": missing 'kind'");
            }
            AgentEvent e;
            try {
                e = Json.MAPPER.treeToValue(node, AgentEvent.class);
            } catch (JacksonException | IllegalArgumentException ex) {
                return text(400, "event " + i + ": " + reason(ex));
            }
            Caller caller = poster.apply(e.app());
            if (caller.refused()) {
                return text(403, "events refused: " + caller.refusal());
            }
            events.add(new AgentEvent(e.kind(), time(e.timeMillis(), now), safe(caller.app()), safe(e.client()), safe(e.host()),
                    e.port(), safe(e.frame()), caller.claimed() == null ? null : safe(caller.claimed()), caller.uidOrNull()));
        }
        return record(events);
    }

    /** Records what each app's rate allows, in order; the rest is dropped and counted. */
    private AdminResponse record(List<AgentEvent> events) {
        Map<String, Integer> allowed = new HashMap<>();
        for (AgentEvent e : events) {
            allowed.merge(e.app(), 1, Integer::sum);
        }
        allowed.replaceAll(rate::take);
        int accepted = 0;
        for (AgentEvent e : events) {
            if (allowed.merge(e.app(), -1, Integer::sum) >= 0) {
                sink.recordAgentEvent(e);
                accepted++;
            }
        }
        int dropped = events.size() - accepted;
        metrics.rejected(Limit.EVENTS_RATE, dropped);
        String body = "{\"accepted\":" + accepted + (dropped > 0 ? ",\"dropped\":" + dropped : "") + "}";
        if (accepted == 0 && dropped > 0) {
            return new AdminResponse(429, AdminResponse.JSON, body.getBytes(StandardCharsets.UTF_8), Map.of("Retry-After", "1"));
        }
        return AdminResponse.of(202, AdminResponse.JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The event's time, or its arrival time when it has none or one too far from the daemon's clock. */
    private long time(long claimed, long now) {
        if (claimed <= 0) {
            return now;
        }
        if (Math.abs(claimed - now) > MAX_SKEW_MILLIS) {
            metrics.rejected(Limit.EVENTS_TIME_SKEW);
            return now;
        }
        return claimed;
    }

    /** Redacted (any secret value out), then escaped (no control or invisible character): the record's text. */
    private String safe(String text) {
        return LogText.escape(redactor.apply(text));
    }

    /** A one-line plain-text answer. */
    private static AdminResponse text(int status, String message) {
        return AdminResponse.text(status, message + "\n");
    }

    /** A one-line reason without Jackson's source excerpt and reference chain. */
    private static String reason(Exception e) {
        Throwable t = e;
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            t = e.getCause(); // the record constructor's own message
        }
        String message = t instanceof JsonMappingException m ? m.getOriginalMessage() : t.getMessage();
        if (message == null) {
            message = t.getClass().getSimpleName();
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < message.length() && out.length() < MAX_REASON; i++) {
            char c = message.charAt(i);
            if (c == '\n' || c == '\r') {
                break;
            }
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }
}
