package io.credproxy.daemon.server;

import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.AuditRecorder;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import java.util.List;

/**
 * Counts the bytes of one opaque tunnel and records it once, when both sides have closed.
 *
 * <p>Both relay handlers run on the same event loop, so plain fields suffice.
 */
final class TunnelAccounting {
    static final String SCHEME = "tunnel";
    /** A tunnel carries no HTTP status the daemon can see (the report schema's "0: none"). */
    static final int NO_STATUS = 0;

    private final AuditRecorder audit;
    private final ProxyMetrics stats;
    private final String app;
    private final String client;
    private final HostPort target;
    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private long bytesUp;
    private long bytesDown;
    private int closedSides;

    TunnelAccounting(AuditRecorder audit, ProxyMetrics stats, String app, String client, HostPort target) {
        this.audit = audit;
        this.stats = stats;
        this.app = app;
        this.client = client;
        this.target = target;
        stats.tunnelOpened();
    }

    HostPort target() {
        return target;
    }

    void add(boolean fromClient, long n) {
        if (fromClient) {
            bytesUp += n;
        } else {
            bytesDown += n;
        }
    }

    void sideClosed() {
        if (++closedSides == 2) {
            stats.tunnelClosed();
            audit.record(new AuditEvent(startMillis, app, client, "CONNECT", SCHEME, target.host(), target.port(), null,
                    Decision.TUNNEL, List.of(), NO_STATUS, bytesUp, bytesDown, (System.nanoTime() - startNanos) / 1_000_000, null));
        }
    }
}
