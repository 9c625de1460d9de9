package io.credproxy.daemon.limits;

import io.credproxy.daemon.pipeline.ConnectionLimitStage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Whether the proxy can take a new client now, as {@code GET /healthz} reports it: the listening
 * socket is open, the connection limit is not reached, descriptors are not nearly exhausted, and
 * every event loop has run its heartbeat recently. Each failing check is one short line.
 */
public final class ProxyHealth {
    /** Descriptors in use, as a share of the limit, from which new connections are likely to fail. */
    static final double DESCRIPTORS_NEARLY_EXHAUSTED = 0.95;
    /** A loop that has not run its one-second heartbeat for this long is stalled. */
    static final long STALLED_MILLIS = 5_000;

    private final BooleanSupplier listening;
    private final ConnectionLimitStage connections;
    private final LoopHeartbeat heartbeat;
    private final LongSupplier openDescriptors;
    private final LongSupplier descriptorLimit;
    private final long stalledMillis;
    private volatile boolean stopping;

    public ProxyHealth(BooleanSupplier listening, ConnectionLimitStage connections, LoopHeartbeat heartbeat) {
        this(listening, connections, heartbeat, FileDescriptors::open, FileDescriptors::limit, STALLED_MILLIS);
    }

    ProxyHealth(BooleanSupplier listening, ConnectionLimitStage connections, LoopHeartbeat heartbeat,
            LongSupplier openDescriptors, LongSupplier descriptorLimit, long stalledMillis) {
        this.stalledMillis = stalledMillis;
        this.listening = listening;
        this.connections = connections;
        this.heartbeat = heartbeat;
        this.openDescriptors = openDescriptors;
        this.descriptorLimit = descriptorLimit;
    }

    /** The daemon is shutting down: healthy no more. */
    public void stopping() {
        stopping = true;
    }

    /** What keeps the proxy from accepting; empty when it can. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (stopping) {
            problems.add("shutting down");
        }
        if (!listening.getAsBoolean()) {
            problems.add("the proxy port is not listening");
        }
        if (connections.full()) {
            problems.add("connection limit reached (" + connections.max() + ")");
        }
        long open = openDescriptors.getAsLong();
        long limit = descriptorLimit.getAsLong();
        if (open >= 0 && limit > 0 && open >= limit * DESCRIPTORS_NEARLY_EXHAUSTED) {
            problems.add("file descriptors nearly exhausted (" + open + " of " + limit + ")");
        }
        int stalled = heartbeat.stalled(stalledMillis);
        if (stalled > 0) {
            problems.add(stalled + " event loop(s) stalled for over " + stalledMillis + " ms");
        }
        return problems;
    }
}
