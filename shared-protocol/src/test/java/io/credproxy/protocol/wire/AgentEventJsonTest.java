package io.credproxy.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgentEventJsonTest {

    @Test
    void writesAnInstrumentedEventWithoutDestinationFields() {
        AgentEvent event = AgentEvent.instrumented(1_700_000_000_123L, "tito", "okhttp");

        assertThat(AgentEventJson.toJson(event))
                .isEqualTo("{\"kind\":\"instrumented\",\"timeMillis\":1700000000123,\"app\":\"tito\",\"client\":\"okhttp\"}");
    }

    @Test
    void writesASocketEventWithDestinationAndFrame() {
        AgentEvent event = AgentEvent.socket(AgentEventKind.SOCKET_BLOCKED, 5L, "tito", "java.net.Socket",
                "API.Example.com", 443, "com.example.Main.fetch");

        assertThat(AgentEventJson.toJson(event)).isEqualTo(
                "{\"kind\":\"socket_blocked\",\"timeMillis\":5,\"app\":\"tito\",\"client\":\"java.net.Socket\","
                        + "\"host\":\"api.example.com\",\"port\":443,\"frame\":\"com.example.Main.fetch\"}");
    }

    @Test
    void writesABatchAsAnArray() {
        List<AgentEvent> batch = List.of(
                AgentEvent.instrumented(1, "a", "okhttp"),
                AgentEvent.instrumented(2, "a", "apache5"));

        assertThat(AgentEventJson.toJsonArray(batch)).startsWith("[{\"kind\":\"instrumented\",\"timeMillis\":1,")
                .contains("},{\"kind\":\"instrumented\",\"timeMillis\":2,")
                .endsWith("\"client\":\"apache5\"}]");
        assertThat(AgentEventJson.toJsonArray(List.of())).isEqualTo("[]");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        StringBuilder out = new StringBuilder();
        AgentEventJson.appendString(out, "a\"b\\c\nd\re\tf\bg\fh\u0001i\u001fj/");

        assertThat(out).hasToString("\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001fj/\"");
    }

    @Test
    void writesEverythingOutsidePrintableAsciiAsUnicodeEscapes() {
        StringBuilder out = new StringBuilder();
        // e-acute, the line separator JavaScript chokes on, an emoji (surrogate pair), a lone surrogate, DEL
        AgentEventJson.appendString(out, "\u00e9\u2028\uD83D\uDE00\uD800\u007f");

        assertThat(out).hasToString("\"\\u00e9\\u2028\\ud83d\\ude00\\ud800\\u007f\"");
        assertThat(out.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
    }
}
