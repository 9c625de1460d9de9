package io.credproxy.daemon.server;

import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.StageChain;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.Decision;

/**
 * Counts the bytes of one opaque tunnel and completes its exchange once, when both sides have
 * closed (the audit stage records it: decision {@code tunnel}, no HTTP status). An upgraded
 * exchange (WebSocket) is counted the same way but keeps its decision and its {@code 101}.
 *
 * <p>Both relay handlers run on the same event loop, so plain fields suffice.
 */
final class TunnelAccounting {
    private final Exchange exchange;
    private final StageChain stages;
    private final ProxyMetrics metrics;
    private int closedSides;

    TunnelAccounting(Exchange exchange, StageChain stages, ProxyMetrics metrics) {
        this(exchange, stages, metrics, false);
    }

    /** @param upgraded whether the exchange switched protocols (its decision and status stay) */
    TunnelAccounting(Exchange exchange, StageChain stages, ProxyMetrics metrics, boolean upgraded) {
        this.exchange = exchange;
        this.stages = stages;
        this.metrics = metrics;
        if (!upgraded) {
            exchange.decision(Decision.TUNNEL);
        }
        metrics.tunnelOpened();
    }

    HostPort target() {
        return exchange.destination();
    }

    void add(boolean fromClient, long n) {
        if (fromClient) {
            exchange.addBytesUp(n);
        } else {
            exchange.addBytesDown(n);
        }
    }

    void sideClosed() {
        if (++closedSides == 2) {
            metrics.tunnelClosed();
            stages.onComplete(exchange);
        }
    }
}
