package io.credproxy.daemon.audit;

import io.credproxy.protocol.report.AuditEvent;

/**
 * Receives one {@link AuditEvent} per intercepted request and per tunnel.
 *
 * <p>Called on Netty event loops: implementations must be fast, must never block and must never
 * throw (write to a queue and do I/O elsewhere).
 */
@FunctionalInterface
public interface AuditSink {
    void record(AuditEvent event);

    static AuditSink discarding() {
        return event -> {};
    }
}
