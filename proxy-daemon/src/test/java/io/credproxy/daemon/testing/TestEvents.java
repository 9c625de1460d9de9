package io.credproxy.daemon.testing;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventKind;
import java.util.List;

/** Builders for audit and agent events in tests. */
public final class TestEvents {
    private TestEvents() {}

    /** An intercepted request that got one secret injected and a 200. */
    public static AuditEvent injected(long time, String app, String host, String secret) {
        return new AuditEvent(time, app, "127.0.0.1:50000", "GET", "https", host, 443, "/v1/things",
                Decision.INJECTED, List.of(secret), 200, 10, 100, 5, null);
    }

    /** A request with the given decision and status. */
    public static AuditEvent request(long time, String app, String host, int port, Decision decision, int status) {
        return request(time, app, host, port, decision, status, 3);
    }

    /** A request with the given decision, status and duration. */
    public static AuditEvent request(long time, String app, String host, int port, Decision decision, int status, long millis) {
        return new AuditEvent(time, app, "127.0.0.1:50000", "GET", "https", host, port, "/",
                decision, List.of(), status, 1, 2, millis, decision == Decision.DENIED ? "policy" : null);
    }

    /** A byte tunnel to a host without a rule. */
    public static AuditEvent tunnel(long time, String app, String host, int port) {
        return new AuditEvent(time, app, "127.0.0.1:50000", "CONNECT", "tunnel", host, port, null,
                Decision.TUNNEL, List.of(), 0, 300, 4000, 50, null);
    }

    public static AgentEvent blocked(long time, String app, String host, int port, String frame) {
        return AgentEvent.socket(AgentEventKind.SOCKET_BLOCKED, time, app, "java.net.Socket", host, port, frame);
    }

    public static AgentEvent tunneled(long time, String app, String host, int port, String frame) {
        return AgentEvent.socket(AgentEventKind.SOCKET_TUNNELED, time, app, "java.nio.channels.SocketChannel", host, port, frame);
    }
}
