package io.credproxy.bench.scenario;

import io.credproxy.bench.Tally;
import io.credproxy.bench.Target;
import io.credproxy.bench.TargetSession;

/** One kind of load, run as a segment against one target at a time; the runner interleaves targets. */
public interface Scenario {
    /** How the report groups and labels results. */
    enum Kind { REQUESTS, TRANSFER, SSE_FIRST_EVENT, SSE_RATE }

    /** Short stable identifier, e.g. {@code keepalive-c16}. */
    String id();

    Kind kind();

    /** Whether the target can serve this load at all (the runner skips it otherwise: no row, no error). */
    default boolean supports(Target target) {
        return true;
    }

    /**
     * Runs one segment; the tally holds only the measured part, with the proxy's usage over it.
     *
     * @param firstRound whether this is the target's first segment of the scenario (warm up longer)
     */
    Tally run(TargetSession session, boolean firstRound) throws InterruptedException;
}
