package io.credproxy.daemon.admin;

import static io.credproxy.daemon.testing.TestEvents.injected;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.report.ReportAggregator;
import io.credproxy.daemon.testing.AdminCalls;
import io.credproxy.protocol.report.Report;
import org.junit.jupiter.api.Test;

class ReportAndMetricsEndpointTest {

    @Test
    void reportServesTheAggregatesAsJson() throws Exception {
        ReportAggregator aggregator = ReportAggregator.forDaemon();
        aggregator.record(injected(1000, "tito", "api.cloudflare.com", "CLOUDFLARE_D1_API_TOKEN"));

        AdminResponse response = new ReportEndpoint(aggregator).handle(AdminCalls.get("/report"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        Report report = AuditJson.newMapper().readValue(response.body(), Report.class);
        assertThat(report.apps()).singleElement().satisfies(a -> assertThat(a.requests()).isEqualTo(1));
        AdminRouter router = new AdminRouter().register(AdminRoute.get("/report", new ReportEndpoint(aggregator)));
        assertThat(AdminExchange.exchange(router, "POST /report HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"))
                .startsWith("HTTP/1.1 405");
    }

    @Test
    void metricsServesPrometheusText() {
        ProxyMetrics metrics = new ProxyMetrics();
        metrics.record(injected(1000, "tito", "api.cloudflare.com", "T"));

        AdminResponse response = new MetricsEndpoint(metrics).handle(AdminCalls.get("/metrics"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.bodyText()).contains("# TYPE credproxy_requests_total counter")
                .contains("credproxy_requests_total{app=\"tito\"");
        AdminRouter router = new AdminRouter().register(AdminRoute.get("/metrics", new MetricsEndpoint(metrics)));
        assertThat(AdminExchange.exchange(router, "DELETE /metrics HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 405").contains("Allow: GET\r\n");
    }
}
