package io.credproxy.daemon.admin;

import io.credproxy.daemon.identity.Caller;
import static io.credproxy.daemon.testing.TestEvents.blocked;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.metrics.LimitMetrics;
import io.credproxy.daemon.testing.AdminCalls;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventJson;
import io.credproxy.protocol.wire.AgentEventKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class EventsEndpointTest {
    private final List<AgentEvent> received = new ArrayList<>();
    private final EventsEndpoint endpoint = new EventsEndpoint(received::add, UnaryOperator.identity(),
            Clock.fixed(Instant.ofEpochMilli(777), ZoneOffset.UTC));

    @Test
    void acceptsWhatTheAgentsJdkOnlyWriterProducesIncludingAwkwardText() {
        List<AgentEvent> batch = List.of(
                AgentEvent.instrumented(1, "tito", "okhttp"),
                AgentEvent.socket(AgentEventKind.SOCKET_TUNNELED, 2, "tito", "java.net.Socket", "db.example", 5432,
                        "com.example.Caf\u00e9$Inner.\"quoted\"\\back/slash \uD83D\uDE00 \u2028"),
                blocked(3, "tito", "smtp.example", 25, "com.example.Mailer.send"));

        AdminResponse response = post(AgentEventJson.toJsonArray(batch));

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.bodyText()).isEqualTo("{\"accepted\":3}");
        assertThat(received).hasSize(3);
        assertThat(received.get(0)).isEqualTo(batch.get(0));
        assertThat(received.get(2)).isEqualTo(batch.get(2));
        // Letters, quotes and the emoji stay; the line separator is escaped, as every invisible character is.
        assertThat(received.get(1).frame()).isEqualTo("com.example.Caf\u00e9$Inner.\"quoted\"\\back/slash \uD83D\uDE00 \\u2028");
    }

    @Test
    void refusesBodiesOverOneMebibyteWith413() {
        byte[] big = new byte[AdminServer.MAX_BODY_BYTES + 1];
        Arrays.fill(big, (byte) ' ');

        AdminResponse response = endpoint.handle(AdminCalls.post("/events", big));

        assertThat(response.status()).isEqualTo(413);
        assertThat(received).isEmpty();
    }

    @Test
    void answersBadInputWith400AndAShortReasonRecordingNothing() {
        assertBad("", "empty body: expected a JSON array of events");
        assertBad("[{\"kind\":", "not valid JSON at line 1");
        assertBad("{\"kind\":\"instrumented\"}", "expected a JSON array of events");
        assertBad("[1]", "event 0: expected a JSON object");
        assertBad("[{\"kind\":\"instrumented\",\"app\":\"a\"},{\"app\":\"a\"}]", "event 1: missing 'kind'");
        assertBad("[{\"kind\":\"teleported\",\"app\":\"a\"}]", "event 0: unknown AgentEventKind 'teleported'");
        assertBad("[{\"kind\":\"socket_blocked\",\"app\":\"a\",\"port\":25}]", "event 0: socket_blocked event without a host");
        assertBad("[{\"kind\":\"socket_blocked\",\"app\":\"a\",\"host\":\"h\",\"port\":99999}]", "event 0: port out of range 0-65535: 99999");
        assertBad("[{\"kind\":\"instrumented\",\"timeMillis\":\"soon\"}]", "event 0: ");
        assertThat(received).isEmpty();
    }

    @Test
    void isServedForPostOnlyAndTheAdminServerCapsTheBodyAtTheSameSize() {
        AdminRouter router = new AdminRouter().register(AdminRoute.post("/events", endpoint));

        assertThat(AdminExchange.exchange(router, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 405").contains("Allow: POST");
        assertThat(AdminExchange.exchange(router, "POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + (AdminServer.MAX_BODY_BYTES + 1) + "\r\n\r\n")).startsWith("HTTP/1.1 413");
        String batch = AgentEventJson.toJsonArray(List.of(AgentEvent.instrumented(1, "tito", "okhttp")));
        assertThat(AdminExchange.exchange(router, "POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + batch.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + batch))
                .startsWith("HTTP/1.1 202").endsWith("{\"accepted\":1}");
        assertThat(received).hasSize(1);
    }

    @Test
    void stampsEventsWithoutATimeAndRedactsTheirText() {
        EventsEndpoint redacting = new EventsEndpoint(received::add, s -> s == null ? null : s.replace("sekrit", "[redacted:K]"),
                Clock.fixed(Instant.ofEpochMilli(777), ZoneOffset.UTC));

        AdminResponse response = redacting.handle(AdminCalls.post("/events",
                "[{\"kind\":\"socket_blocked\",\"app\":\"a\",\"host\":\"h\",\"port\":1,\"frame\":\"X.sekrit\"}]"));

        assertThat(response.status()).isEqualTo(202);
        assertThat(received).singleElement().satisfies(e -> {
            assertThat(e.timeMillis()).isEqualTo(777);
            assertThat(e.frame()).isEqualTo("X.[redacted:K]");
        });
    }

    @Test
    void timesFarFromTheDaemonsClockAreReplacedByTheArrivalTime() {
        long now = 10 * 24 * 3600 * 1000L;
        EventsEndpoint atNow = new EventsEndpoint(received::add, UnaryOperator.identity(), Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
        long skew = EventsEndpoint.MAX_SKEW_MILLIS;

        atNow.handle(AdminCalls.post("/events", AgentEventJson.toJsonArray(List.of(
                AgentEvent.instrumented(now - skew, "a", "c1"), AgentEvent.instrumented(now + skew, "a", "c2"),
                AgentEvent.instrumented(now - skew - 1, "a", "c3"), AgentEvent.instrumented(now + 2 * skew, "a", "c4")))));

        assertThat(received).extracting(AgentEvent::timeMillis).containsExactly(now - skew, now + skew, now, now);
    }

    @Test
    void eachAppIsRateLimitedTheSurplusDroppedAndSaid() {
        EventsEndpoint limited = new EventsEndpoint(received::add, UnaryOperator.identity(), Clock.fixed(Instant.ofEpochMilli(777),
                ZoneOffset.UTC), EventAttribution.AS_CLAIMED, 1, 3, new LimitMetrics(new SimpleMeterRegistry()));
        List<AgentEvent> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(AgentEvent.instrumented(777, "chatty", "c" + i));
        }
        five.add(AgentEvent.instrumented(777, "quiet", "c"));

        AdminResponse first = limited.handle(AdminCalls.post("/events", AgentEventJson.toJsonArray(five)));
        AdminResponse second = limited.handle(AdminCalls.post("/events", AgentEventJson.toJsonArray(five.subList(0, 2))));

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.bodyText()).isEqualTo("{\"accepted\":4,\"dropped\":2}");
        assertThat(received).extracting(AgentEvent::client).containsExactly("c0", "c1", "c2", "c");
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.headers()).containsEntry("Retry-After", "1");
    }

    @Test
    void theAttributionDecidesUnderWhichAppEventsAreRecordedOrRefusesTheBatch() {
        EventAttribution onlyTito = request -> app -> app.equals("tito")
                ? new Caller("tito-verified", "tito", 1001, true, null)
                : new Caller(app, null, 1002, false, "this client may not post events for app " + app);
        EventsEndpoint checked = new EventsEndpoint(received::add, UnaryOperator.identity(), Clock.fixed(Instant.ofEpochMilli(777),
                ZoneOffset.UTC), onlyTito, 10, 100, new LimitMetrics(new SimpleMeterRegistry()));

        assertThat(checked.handle(AdminCalls.post("/events", AgentEventJson.toJsonArray(List.of(
                AgentEvent.instrumented(777, "tito", "okhttp"))))).status()).isEqualTo(202);
        AdminResponse refused = checked.handle(AdminCalls.post("/events", AgentEventJson.toJsonArray(List.of(
                AgentEvent.instrumented(777, "tito", "okhttp"), AgentEvent.instrumented(777, "mallory", "okhttp")))));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.bodyText()).isEqualTo("events refused: this client may not post events for app mallory\n");
        assertThat(received).extracting(AgentEvent::app).containsExactly("tito-verified");
    }

    private void assertBad(String body, String reasonStart) {
        AdminResponse response = post(body);
        assertThat(response.status()).as(body).isEqualTo(400);
        assertThat(response.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(response.bodyText()).as(body).startsWith(reasonStart).hasLineCount(1).hasSizeLessThan(200);
    }

    private AdminResponse post(String body) {
        return endpoint.handle(AdminCalls.post("/events", body));
    }
}
