package io.credproxy.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentEventTest {

    @Test
    void sanitizesTheAppNameLikeTheProxyIdentity() {
        AgentEvent event = AgentEvent.instrumented(1, "<b>evil</b> app", "okhttp");

        assertThat(event.app()).isEqualTo(ProxyIdentity.sanitizeApp("<b>evil</b> app")).isEqualTo("_b_evil__b__app");
        assertThat(AgentEvent.instrumented(1, null, "okhttp").app()).isEqualTo(ProxyIdentity.UNKNOWN_APP);
    }

    @Test
    void normalizesTheHostAndCutsLongText() {
        String longFrame = "x".repeat(AgentEvent.MAX_TEXT + 50);
        AgentEvent event = AgentEvent.socket(AgentEventKind.SOCKET_TUNNELED, 1, "a", "java.net.Socket",
                "Example.COM.", 80, longFrame);

        assertThat(event.host()).isEqualTo("example.com");
        assertThat(event.frame()).hasSize(AgentEvent.MAX_TEXT);
    }

    @Test
    void replacesControlCharactersThatWouldReachTerminals() {
        AgentEvent event = AgentEvent.socket(AgentEventKind.SOCKET_BLOCKED, 1, "a", "c\u001b[31m",
                "h", 1, "Frame\r\n.injected");

        assertThat(event.client()).isEqualTo("c?[31m");
        assertThat(event.frame()).isEqualTo("Frame??.injected");
    }

    @Test
    void refusesSocketEventsWithoutAHostAndBadPorts() {
        assertThatThrownBy(() -> new AgentEvent(AgentEventKind.SOCKET_BLOCKED, 1, "a", null, " ", 443, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("socket_blocked event without a host");
        assertThatThrownBy(() -> new AgentEvent(AgentEventKind.SOCKET_BLOCKED, 1, "a", null, "h", 70000, null))
                .hasMessageContaining("port out of range");
        assertThatThrownBy(() -> AgentEvent.socket(AgentEventKind.INSTRUMENTED, 1, "a", null, "h", 1, null))
                .hasMessageContaining("not a socket event kind");
    }

    @Test
    void anInstrumentationFailureNamesTheHookInItsFrameAndNeedsNoHost() {
        AgentEvent event = AgentEvent.instrumentationFailed(1, "a", "jdk-httpclient",
                "jdk.internal.net.http.HttpRequestImpl.<init>(.. java.net.ProxySelector ..)\u001b[2J");

        assertThat(event.kind().wireName()).isEqualTo("instrumentation_failed");
        assertThat(event.kind().isSocket()).isFalse();
        assertThat(event.host()).isNull();
        assertThat(event.frame()).isEqualTo("jdk.internal.net.http.HttpRequestImpl.<init>(.. java.net.ProxySelector ..)?[2J");
        assertThat(AgentEventJson.toJson(event)).isEqualTo("{\"kind\":\"instrumentation_failed\",\"timeMillis\":1,\"app\":\"a\","
                + "\"client\":\"jdk-httpclient\",\"frame\":\"jdk.internal.net.http.HttpRequestImpl.<init>(.. java.net.ProxySelector ..)?[2J\"}");
    }

    @Test
    void kindsRoundTripThroughWireNames() {
        for (AgentEventKind kind : AgentEventKind.values()) {
            assertThat(AgentEventKind.fromWireName(kind.wireName())).isSameAs(kind);
        }
        assertThat(AgentEventKind.SOCKET_TUNNELED.wireName()).isEqualTo("socket_tunneled");
        assertThatThrownBy(() -> AgentEventKind.fromWireName("SOCKET_BLOCKED"))
                .hasMessage("unknown agent event kind 'SOCKET_BLOCKED'");
    }
}
