package io.credproxy.daemon.metrics;

import static io.credproxy.daemon.testing.TestEvents.blocked;
import static io.credproxy.daemon.testing.TestEvents.injected;
import static io.credproxy.daemon.testing.TestEvents.request;
import static io.credproxy.daemon.testing.TestEvents.tunnel;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.wire.AgentEvent;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {
    private final ProxyMetrics metrics = new ProxyMetrics();

    @Test
    void countsRequestsByAppHostDecisionAndStatus() {
        metrics.record(injected(1, "tito", "api.cloudflare.com", "T"));
        metrics.record(injected(2, "tito", "api.cloudflare.com", "T"));
        metrics.record(request(3, "tito", "api.cloudflare.com", 443, Decision.DENIED, 421));
        metrics.record(tunnel(4, "other", "example.org", 443));

        String text = metrics.scrape();

        assertThat(text)
                .contains("credproxy_requests_total{app=\"tito\",decision=\"injected\",host=\"api.cloudflare.com\",status=\"200\"} 2")
                .contains("credproxy_requests_total{app=\"tito\",decision=\"denied\",host=\"api.cloudflare.com\",status=\"421\"} 1")
                .contains("credproxy_requests_total{app=\"other\",decision=\"tunnel\",host=\"example.org\",status=\"0\"} 1")
                .contains("credproxy_bytes_total{app=\"other\",direction=\"down\"} 4000");
    }

    @Test
    void tracksActiveConnectionsErrorsAndAgentEvents() {
        metrics.connectionOpened();
        metrics.connectionOpened();
        metrics.connectionOpened();
        metrics.connectionClosed();
        metrics.recordError("tls_handshake");
        metrics.record(injected(1, "tito", "api.cloudflare.com", "T"));
        metrics.recordAgentEvent(blocked(1, "tito", "smtp.example", 25, "F.m"));
        metrics.recordAgentEvent(AgentEvent.instrumented(1, "tito", "okhttp"));
        // Anyone can post events in any name: a name not seen in traffic takes no label of its own.
        for (int i = 0; i < 300; i++) {
            metrics.recordAgentEvent(AgentEvent.instrumented(1, "invented-" + i, "okhttp"));
        }
        metrics.record(injected(2, "real-app", "api.cloudflare.com", "T"));

        String text = metrics.scrape();

        assertThat(text).contains("credproxy_connections_active 2")
                .contains("credproxy_errors_total{kind=\"tls_handshake\"} 1")
                .contains("credproxy_agent_events_total{app=\"tito\",kind=\"socket_blocked\"} 1")
                .contains("credproxy_agent_events_total{app=\"tito\",kind=\"instrumented\"} 1")
                .contains("credproxy_agent_events_total{app=\"events-only\",kind=\"instrumented\"} 300")
                .contains("credproxy_requests_total{app=\"real-app\"")
                .doesNotContain("invented-")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void readsTheCertificateCacheAndAuditDropsWhenScraped() {
        AtomicInteger cache = new AtomicInteger(3);
        long[] drops = {0};
        long[] minted = {0};
        metrics.bindCertificateCacheSize(cache::get);
        metrics.bindCertificatesMinted(() -> minted[0]);
        metrics.bindAuditDrops(() -> drops[0]);
        System.gc(); // the suppliers above are lambdas nobody else holds: they must survive

        cache.set(17);
        drops[0] = 42;
        minted[0] = 19;

        assertThat(metrics.scrape()).contains("credproxy_certificate_cache_size 17")
                .contains("credproxy_certificates_minted_total 19")
                .contains("credproxy_audit_dropped_total 42");
    }

    @Test
    void countsTheServersConnectionsAndFailures() {
        ProxyMetrics stats = metrics;

        assertThat(metrics.scrape()).as("every failure kind is there from the start")
                .contains("credproxy_errors_total{kind=\"tls_handshake\"} 0")
                .contains("credproxy_errors_total{kind=\"upstream_connect\"} 0")
                .contains("credproxy_errors_total{kind=\"upstream_tls\"} 0")
                .contains("credproxy_errors_total{kind=\"upstream_response\"} 0")
                .contains("credproxy_errors_total{kind=\"timeout\"} 0")
                .contains("credproxy_errors_total{kind=\"bad_request\"} 0");

        stats.connectionOpened();
        stats.connectionOpened();
        stats.connectionClosed();
        stats.error(ProxyError.UPSTREAM_TLS);
        stats.error(ProxyError.UPSTREAM_TLS);
        stats.error(ProxyError.BAD_REQUEST);

        assertThat(metrics.scrape()).contains("credproxy_connections_active 1")
                .contains("credproxy_errors_total{kind=\"upstream_tls\"} 2")
                .contains("credproxy_errors_total{kind=\"bad_request\"} 1")
                .contains("credproxy_errors_total{kind=\"timeout\"} 0");
        assertThat(stats.clientConnections()).isEqualTo(1);
        assertThat(stats.errors(ProxyError.UPSTREAM_TLS)).isEqualTo(2);
    }

    @Test
    void capsHostAndAppLabelsSoAScannerCannotGrowTheSeries() {
        ProxyMetrics capped = new ProxyMetrics(5, 10);
        for (int i = 0; i < 1000; i++) {
            capped.record(tunnel(i, "app-" + (i % 50), "host-" + i + ".example", 443));
        }

        String text = capped.scrape();

        assertThat(distinct(text, "host")).hasSizeLessThanOrEqualTo(11).contains("other");
        assertThat(distinct(text, "app")).hasSizeLessThanOrEqualTo(6).contains("other");
        assertThat(text).contains("host=\"host-0.example\"");
        assertThat(sumOf(text, "credproxy_requests_total")).isEqualTo(1000);
    }

    @Test
    void oddStatusesAndMissingFieldsBecomeFixedLabels() {
        metrics.record(new io.credproxy.protocol.report.AuditEvent(1, null, null, null, null, null, 0, null,
                null, null, 1234, 0, 0, 0, null));

        assertThat(metrics.scrape())
                .contains("credproxy_requests_total{app=\"none\",decision=\"none\",host=\"none\",status=\"other\"} 1");
    }

    @Test
    void theDurationIsAHistogramWithFixedBucketsByAppAndDecision() {
        metrics.record(request(1, "tito", "api.cloudflare.com", 443, Decision.INJECTED, 200, 7));
        metrics.record(request(2, "tito", "api.cloudflare.com", 443, Decision.INJECTED, 200, 40));
        metrics.record(request(3, "tito", "api.cloudflare.com", 443, Decision.INJECTED, 200, 1200));
        metrics.record(request(4, "tito", "api.cloudflare.com", 443, Decision.DENIED, 421, 0));

        String text = metrics.scrape();

        String injected = "credproxy_request_duration_seconds_bucket{app=\"tito\",decision=\"injected\",";
        assertThat(text)
                .contains(injected + "le=\"0.005\"} 0")
                .contains(injected + "le=\"0.01\"} 1")
                .contains(injected + "le=\"0.05\"} 2")
                .contains(injected + "le=\"1.0\"} 2")
                .contains(injected + "le=\"2.5\"} 3")
                .contains(injected + "le=\"300.0\"} 3")
                .contains(injected + "le=\"+Inf\"} 3")
                .contains("credproxy_request_duration_seconds_count{app=\"tito\",decision=\"injected\"} 3")
                .contains("credproxy_request_duration_seconds_sum{app=\"tito\",decision=\"injected\"} 1.247")
                .contains("credproxy_request_duration_seconds_bucket{app=\"tito\",decision=\"denied\",le=\"0.005\"} 1");
        assertThat(bucketBounds(text)).as("fixed buckets, no client-side percentiles")
                .hasSize(RequestMeters.DURATION_BUCKETS.length + 1);
        assertThat(text).doesNotContain("quantile=");
    }

    @Test
    void theDurationsAppLabelIsCappedLikeTheOthers() {
        ProxyMetrics capped = new ProxyMetrics(3, 10);
        for (int i = 0; i < 50; i++) {
            capped.record(request(i, "app-" + i, "h.example", 443, Decision.INJECTED, 200, 5));
        }

        Matcher m = Pattern.compile("credproxy_request_duration_seconds_count\\{app=\"([^\"]*)\"").matcher(capped.scrape());
        java.util.Set<String> apps = new java.util.TreeSet<>();
        while (m.find()) {
            apps.add(m.group(1));
        }
        assertThat(apps).containsExactly("app-0", "app-1", "app-2", "other");
    }

    @Test
    void openDescriptorsUseThePrometheusProcessNames() {
        String text = metrics.scrape();

        assertThat(gauge(text, "process_open_fds")).isPositive();
        assertThat(gauge(text, "process_max_fds")).isGreaterThanOrEqualTo(gauge(text, "process_open_fds"));
        assertThat(text).doesNotContain("process_files_open");
    }

    @Test
    void aLabelSetSeenBeforeCostsNoNewMeter() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        io.credproxy.protocol.report.AuditEvent[] events = new io.credproxy.protocol.report.AuditEvent[16];
        for (int i = 0; i < events.length; i++) {
            events[i] = request(i, "app-" + i % 4, "host-" + i % 8 + ".example", 443, Decision.INJECTED, 200, i);
        }
        for (int round = 0; round < 2_000; round++) { // first sight of each label set, then warm
            metrics.record(events[round % events.length]);
        }
        int meters = metrics.registry().getMeters().size();
        long thread = Thread.currentThread().getId();

        long before = threads.getThreadAllocatedBytes(thread);
        int calls = 100_000;
        for (int i = 0; i < calls; i++) {
            metrics.record(events[i % events.length]);
        }
        long perCall = (threads.getThreadAllocatedBytes(thread) - before) / calls;

        assertThat(metrics.registry().getMeters()).hasSize(meters);
        // Registering per call allocated 1,132 bytes (MetricsBenchmark); a cached look-up, two small keys.
        assertThat(perCall).as("bytes allocated per record()").isLessThan(200);
    }

    private static java.util.Set<String> bucketBounds(String text) {
        java.util.Set<String> bounds = new java.util.TreeSet<>();
        Matcher m = Pattern.compile("credproxy_request_duration_seconds_bucket\\{app=\"tito\",decision=\"injected\",le=\"([^\"]*)\"")
                .matcher(text);
        while (m.find()) {
            bounds.add(m.group(1));
        }
        return bounds;
    }

    private static double gauge(String text, String name) {
        Matcher m = Pattern.compile("^" + name + " ([0-9.eE+]+)$", Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as(name + " in the scrape").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static java.util.Set<String> distinct(String text, String label) {
        java.util.Set<String> values = new java.util.TreeSet<>();
        Matcher m = Pattern.compile("credproxy_requests_total\\{[^}]*\\b" + label + "=\"([^\"]*)\"").matcher(text);
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }

    private static long sumOf(String text, String metric) {
        long sum = 0;
        Matcher m = Pattern.compile("^" + metric + "\\{[^}]*} ([0-9.]+)$", Pattern.MULTILINE).matcher(text);
        while (m.find()) {
            sum += (long) Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
