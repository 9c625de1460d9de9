package io.credproxy.protocol.wire;

import java.util.Locale;

/** What an agent event reports; written lower-case ({@code socket_blocked}) in JSON. */
public enum AgentEventKind {
    /** The agent instrumented an HTTP client or socket API in the application's JVM. */
    INSTRUMENTED,
    /** A raw socket connect was carried through a CONNECT tunnel to the daemon instead of going direct. */
    SOCKET_TUNNELED,
    /** A raw socket connect was refused ({@code sockets=block}, or a channel that cannot be tunneled). */
    SOCKET_BLOCKED,
    /**
     * The agent could not instrument a client: one of its hooks found no method in this JVM's (or
     * library's) version of the class, or the class could not be woven. An error for the operator:
     * the client is not forced through the daemon by its own instrumentation.
     */
    INSTRUMENTATION_FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind for a wire name.
     *
     * @throws IllegalArgumentException naming the unknown kind
     */
    public static AgentEventKind fromWireName(String name) {
        if (name != null) {
            for (AgentEventKind kind : values()) {
                if (kind.wireName().equals(name)) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("unknown agent event kind '" + AgentEvent.clip(String.valueOf(name), 40) + "'");
    }

    /** True for the two socket kinds, which carry a destination and a frame. */
    public boolean isSocket() {
        return this == SOCKET_TUNNELED || this == SOCKET_BLOCKED;
    }
}
