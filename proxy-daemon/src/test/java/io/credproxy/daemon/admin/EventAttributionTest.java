package io.credproxy.daemon.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.identity.Caller;
import io.credproxy.daemon.testing.AdminCalls;
import io.credproxy.protocol.wire.AgentEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** {@code POST /events} counts each event for the app the attribution names, keeping what was claimed. */
class EventAttributionTest {
    private final List<AgentEvent> received = new ArrayList<>();

    private EventsEndpoint endpoint(EventAttribution attribution) {
        return new EventsEndpoint(received::add, UnaryOperator.identity(), Clock.systemUTC(), attribution);
    }

    @Test
    void eventsCountForTheAttestedAppWithTheClaimedNameAndUidKept() {
        EventAttribution kernel = request -> claimed -> new Caller("tito", claimed.equals("tito") ? null : claimed, 1001, true, null);
        AdminResponse response = endpoint(kernel).handle(AdminCalls.post("/events",
                "[{\"kind\":\"instrumented\",\"app\":\"billing\",\"client\":\"okhttp\"},"
                        + "{\"kind\":\"instrumented\",\"app\":\"tito\",\"client\":\"tls\"}]"));

        assertThat(response.status()).isEqualTo(202);
        assertThat(received).extracting(AgentEvent::app, AgentEvent::claimedApp, AgentEvent::uid).containsExactly(
                org.assertj.core.groups.Tuple.tuple("tito", "billing", 1001L),
                org.assertj.core.groups.Tuple.tuple("tito", null, 1001L));
    }

    @Test
    void whatAnAgentSaysAboutItsOwnAttributionIsOverwritten() {
        endpoint(EventAttribution.AS_CLAIMED).handle(AdminCalls.post("/events",
                "[{\"kind\":\"instrumented\",\"app\":\"tito\",\"client\":\"okhttp\",\"claimedApp\":\"root\",\"uid\":0}]"));

        assertThat(received).singleElement().satisfies(e -> {
            assertThat(e.app()).isEqualTo("tito");
            assertThat(e.claimedApp()).isNull();
            assertThat(e.uid()).isNull();
        });
    }

    @Test
    void aRefusedPosterGets403AndNothingIsRecorded() {
        EventAttribution deny = request -> claimed -> new Caller("unknown", claimed, 4242, false, "uid 4242 is no configured app's user");
        AdminResponse response = endpoint(deny).handle(AdminCalls.post("/events", "[{\"kind\":\"instrumented\",\"app\":\"tito\"}]"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.bodyText()).isEqualTo("events refused: uid 4242 is no configured app's user\n");
        assertThat(received).isEmpty();
    }
}
