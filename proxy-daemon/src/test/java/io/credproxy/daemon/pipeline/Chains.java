package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.metrics.LimitMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Stage chains for tests that are about something other than connection limits. */
public final class Chains {
    private Chains() {}

    /** {@link StageChain#standard} with connection limits no test reaches. */
    public static StageChain standard(AuditRecorder audit) {
        return StageChain.standard(new ConnectionLimitStage(100_000, 100_000, new LimitMetrics(new SimpleMeterRegistry())), audit);
    }
}
