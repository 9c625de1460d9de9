package io.credproxy.daemon.admin;

import io.credproxy.daemon.metrics.ProxyMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** {@code GET /metrics}: Prometheus text format 0.0.4 ({@value ProxyMetrics#CONTENT_TYPE}). */
public final class MetricsEndpoint implements AdminEndpoint {
    private final ProxyMetrics metrics;

    public MetricsEndpoint(ProxyMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        return AdminResponse.of(200, ProxyMetrics.CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
