package io.credproxy.daemon.admin;

import static io.credproxy.daemon.testing.TestEvents.injected;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.report.ReportAggregator;
import io.credproxy.daemon.report.ReportJson;
import io.credproxy.protocol.report.Report;
import org.junit.jupiter.api.Test;

class ReportAndMetricsEndpointTest {

    @Test
    void reportServesTheAggregatesAsJson() throws Exception {
        ReportAggregator aggregator = ReportAggregator.forDaemon();
        aggregator.record(injected(1000, "tito", "api.cloudflare.com", "CLOUDFLARE_D1_API_TOKEN"));

        EndpointResponse response = new ReportEndpoint(aggregator).handle(EndpointRequest.get());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        Report report = ReportJson.newMapper().readValue(response.body(), Report.class);
        assertThat(report.apps()).singleElement().satisfies(a -> assertThat(a.requests()).isEqualTo(1));
        assertThat(new ReportEndpoint(aggregator).handle(new EndpointRequest("POST", null)).status()).isEqualTo(405);
    }

    @Test
    void metricsServesPrometheusText() {
        ProxyMetrics metrics = new ProxyMetrics();
        metrics.record(injected(1000, "tito", "api.cloudflare.com", "T"));

        EndpointResponse response = new MetricsEndpoint(metrics).handle(EndpointRequest.get());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.bodyText()).contains("# TYPE credproxy_requests_total counter")
                .contains("credproxy_requests_total{app=\"tito\"");
        assertThat(new MetricsEndpoint(metrics).handle(new EndpointRequest("DELETE", null)).allow()).isEqualTo("GET");
    }
}
