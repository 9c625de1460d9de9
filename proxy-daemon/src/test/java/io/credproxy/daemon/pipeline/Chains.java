package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.metrics.LimitMetrics;
import io.credproxy.daemon.testing.TestEgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Stage chains for tests that are about something other than connection limits. */
public final class Chains {
    private Chains() {}

    /** {@link StageChain#standard} with connection limits no test reaches and loopback allowed (the tests' upstreams). */
    public static StageChain standard(AuditRecorder audit) {
        return standard(audit, TestEgress.allowingLoopback());
    }

    /** {@link StageChain#standard} with connection limits no test reaches and the given egress stage. */
    public static StageChain standard(AuditRecorder audit, EgressStage egress) {
        return StageChain.standard(new ConnectionLimitStage(100_000, 100_000, new LimitMetrics(new SimpleMeterRegistry())), egress,
                audit);
    }
}
