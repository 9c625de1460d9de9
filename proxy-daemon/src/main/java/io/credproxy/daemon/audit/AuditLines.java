package io.credproxy.daemon.audit;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.wire.AgentEvent;

/**
 * The two kinds of line in the audit log, each a JSON object whose first field {@code type} says
 * which it is: {@value #REQUEST} (an {@link AuditEvent}) or {@value #AGENT} (an {@link AgentEvent}).
 * The event's own fields follow, unwrapped.
 */
public final class AuditLines {
    public static final String TYPE = "type";
    public static final String REQUEST = "request";
    public static final String AGENT = "agent";

    private AuditLines() {}

    /** A request or tunnel line. */
    public record RequestLine(String type, @JsonUnwrapped AuditEvent event) {
        public RequestLine(AuditEvent event) {
            this(REQUEST, event);
        }
    }

    /** An agent event line. */
    public record AgentLine(String type, @JsonUnwrapped AgentEvent event) {
        public AgentLine(AgentEvent event) {
            this(AGENT, event);
        }
    }
}
