package io.credproxy.daemon.audit;

import static io.credproxy.daemon.testing.TestEvents.blocked;
import static io.credproxy.daemon.testing.TestEvents.injected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.daemon.testing.RecordingSink;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.wire.AgentEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeAuditSinkTest {

    static final class Throwing implements AuditSink, AgentEventSink {
        @Override
        public void record(AuditEvent event) {
            throw new IllegalStateException("boom");
        }

        @Override
        public void recordAgentEvent(AgentEvent event) {
            throw new NoClassDefFoundError("gone");
        }
    }

    @Test
    void fansEachEventOutToEverySink() {
        RecordingSink a = new RecordingSink();
        RecordingSink b = new RecordingSink();
        List<AuditEvent> auditOnly = new ArrayList<>();
        CompositeAuditSink composite = CompositeAuditSink.of(a, (AuditSink) auditOnly::add, b);

        composite.record(injected(1, "tito", "h", "T"));
        composite.recordAgentEvent(blocked(2, "tito", "h", 1, "F.m"));

        assertThat(a.audit).hasSize(1);
        assertThat(b.audit).hasSize(1);
        assertThat(auditOnly).hasSize(1);
        assertThat(a.agent).hasSize(1);
        assertThat(b.agent).hasSize(1);
    }

    @Test
    void aThrowingSinkNeitherStopsTheOthersNorReachesTheCaller() {
        RecordingSink after = new RecordingSink();
        List<String> failed = new ArrayList<>();
        CompositeAuditSink composite = new CompositeAuditSink(List.of(new Throwing(), after), failed::add);

        assertThatCode(() -> {
            composite.record(injected(1, "tito", "h", "T"));
            composite.recordAgentEvent(blocked(2, "tito", "h", 1, "F.m"));
        }).doesNotThrowAnyException();

        assertThat(after.audit).hasSize(1);
        assertThat(after.agent).hasSize(1);
        assertThat(composite.failures()).isEqualTo(2);
        assertThat(failed).containsExactly("Throwing", "Throwing");
    }

    @Test
    void aThrowingFailureHookIsContainedToo() {
        CompositeAuditSink composite = new CompositeAuditSink(List.of(new Throwing()), name -> {
            throw new IllegalStateException("hook");
        });

        assertThatCode(() -> composite.record(injected(1, "tito", "h", "T"))).doesNotThrowAnyException();
    }

    @Test
    void refusesObjectsThatAreNoSink() {
        assertThatThrownBy(() -> CompositeAuditSink.of(new RecordingSink(), "not a sink")).isInstanceOf(IllegalArgumentException.class);
    }
}
