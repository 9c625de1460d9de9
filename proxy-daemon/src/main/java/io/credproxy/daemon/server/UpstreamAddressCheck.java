package io.credproxy.daemon.server;

import io.credproxy.daemon.pipeline.StageChain;
import io.credproxy.daemon.pipeline.StageResult;
import io.credproxy.daemon.pipeline.Target;
import java.net.InetSocketAddress;

/**
 * Judges the address an upstream name resolved to, right before the connector connects to exactly
 * that address (the chain's {@link io.credproxy.daemon.pipeline.UpstreamAddressHook}); also asked
 * again, with the remote address, before a pooled connection is reused.
 */
@FunctionalInterface
public interface UpstreamAddressCheck {
    /** Every address may be connected to (no stage judges addresses). */
    UpstreamAddressCheck ANY = address -> StageResult.proceed();

    /** The chain's judgement of {@code target}'s addresses; {@link #ANY} when no stage judges addresses. */
    static UpstreamAddressCheck of(StageChain stages, Target target) {
        return stages.judgesUpstreamAddresses() ? address -> stages.onUpstreamAddress(target, address) : ANY;
    }

    /** {@link StageResult#proceed()} to connect; anything else refuses with that answer. */
    StageResult check(InetSocketAddress address);
}
