package io.credproxy.daemon.testing;

import io.credproxy.daemon.audit.AgentEventSink;
import io.credproxy.daemon.audit.AuditSink;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.wire.AgentEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what it is given, in both sink roles. */
public final class RecordingSink implements AuditSink, AgentEventSink {
    public final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    public final List<AgentEvent> agent = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event) {
        audit.add(event);
    }

    @Override
    public void recordAgentEvent(AgentEvent event) {
        agent.add(event);
    }
}
