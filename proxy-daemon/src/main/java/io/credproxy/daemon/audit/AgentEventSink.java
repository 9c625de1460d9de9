package io.credproxy.daemon.audit;

import io.credproxy.protocol.wire.AgentEvent;

/**
 * Receives the events agents POST to {@code /events}: clients instrumented, raw sockets tunneled or
 * blocked.
 *
 * <p>Same contract as {@link AuditSink}: fast, never blocking, never throwing.
 */
@FunctionalInterface
public interface AgentEventSink {
    void recordAgentEvent(AgentEvent event);
}
