package io.credproxy.daemon.admin;

import io.credproxy.daemon.metrics.ProxyMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** {@code GET /metrics}: Prometheus text format 0.0.4 ({@value ProxyMetrics#CONTENT_TYPE}). */
public final class MetricsEndpoint implements Endpoint {
    private final ProxyMetrics metrics;

    public MetricsEndpoint(ProxyMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public EndpointResponse handle(EndpointRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return EndpointResponse.methodNotAllowed("GET");
        }
        return new EndpointResponse(200, ProxyMetrics.CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8), null);
    }
}
