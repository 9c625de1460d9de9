package io.credproxy.protocol.wire;

import java.util.List;

/**
 * Writes agent events as the JSON the daemon's {@code POST /events} accepts, with the JDK only.
 *
 * <p>The agent is a small shaded jar that must not carry a JSON library, so this writer lives here.
 * Field names are the {@link AgentEvent} component names (camelCase), the kind is its
 * {@linkplain AgentEventKind#wireName() wire name}, and {@code null} fields and a zero port are
 * left out. Strings are escaped as RFC 8259 requires; every character outside printable ASCII is
 * written as a {@code \\uXXXX} escape, so the output is pure ASCII whatever the input holds (even an
 * unpaired surrogate) and the request body's charset can never matter.
 */
public final class AgentEventJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AgentEventJson() {}

    /** A JSON array of the events, {@code []} when there are none. */
    public static String toJsonArray(List<AgentEvent> events) {
        StringBuilder out = new StringBuilder(64 + events.size() * 160);
        out.append('[');
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendObject(out, events.get(i));
        }
        return out.append(']').toString();
    }

    /** One event as a JSON object. */
    public static String toJson(AgentEvent event) {
        StringBuilder out = new StringBuilder(160);
        appendObject(out, event);
        return out.toString();
    }

    /** Appends one event as a JSON object to {@code out}. */
    public static void appendObject(StringBuilder out, AgentEvent event) {
        out.append("{\"kind\":");
        appendString(out, event.kind().wireName());
        out.append(",\"timeMillis\":").append(event.timeMillis());
        out.append(",\"app\":");
        appendString(out, event.app());
        if (event.client() != null) {
            out.append(",\"client\":");
            appendString(out, event.client());
        }
        if (event.host() != null) {
            out.append(",\"host\":");
            appendString(out, event.host());
        }
        if (event.port() != 0) {
            out.append(",\"port\":").append(event.port());
        }
        if (event.frame() != null) {
            out.append(",\"frame\":");
            appendString(out, event.frame());
        }
        out.append('}');
    }

    /** Appends {@code text} as a quoted, escaped JSON string. */
    public static void appendString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append("\\u")
                                .append(HEX[(c >> 12) & 0xf])
                                .append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
