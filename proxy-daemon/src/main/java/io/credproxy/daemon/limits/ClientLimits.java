package io.credproxy.daemon.limits;

import io.credproxy.daemon.config.LimitsConfig;
import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import java.util.Objects;

/**
 * What every client connection of the proxy port is held to, and the shared state behind it: the
 * resolved {@link LimitsConfig}, the {@link HeadBudget} all connections draw on, and where limits
 * count what they did. Builds the per-connection handlers.
 */
public final class ClientLimits {
    private final LimitsConfig config;
    private final HeadBudget heads;
    private final LimitMetrics metrics;

    /** @param config resolved ({@link LimitsConfig#resolve}): no size left at 0 */
    public ClientLimits(LimitsConfig config, LimitMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.heads = new HeadBudget(config.maxBufferedHeadBytes(), Limit.BUFFERED_HEADS, metrics);
        metrics.bindBufferedHeadBytes(heads::used);
        metrics.bindMaxConnections(config.maxConnections());
    }

    public LimitsConfig config() {
        return config;
    }

    public LimitMetrics metrics() {
        return metrics;
    }

    public HeadBudget heads() {
        return heads;
    }

    /** The idle timeout of a connection that speaks HTTP to the proxy. */
    public IdleTimeout idleTimeout() {
        return new IdleTimeout(config.idleTimeoutMillis(), Limit.IDLE_TIMEOUT, metrics);
    }

    /**
     * A guard for the request heads of one HTTP layer of a connection.
     *
     * @param maxHeadBytes the largest head its codec takes (what one connection can hold of the budget)
     */
    public RequestHeadGuard headGuard(long maxHeadBytes) {
        return new RequestHeadGuard(config.headerTimeoutMillis(), Limit.HEADER_TIMEOUT, heads, maxHeadBytes, metrics);
    }
}
