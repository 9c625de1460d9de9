package io.credproxy.daemon.report;

import static io.credproxy.daemon.testing.TestEvents.blocked;
import static io.credproxy.daemon.testing.TestEvents.injected;
import static io.credproxy.daemon.testing.TestEvents.request;
import static io.credproxy.daemon.testing.TestEvents.tunnel;
import static io.credproxy.daemon.testing.TestEvents.tunneled;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.BypassReport;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.report.DestinationReport;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.report.Timeline;
import io.credproxy.protocol.report.TimelineBucket;
import io.credproxy.protocol.wire.AgentEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ReportAggregatorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(9_999_999), ZoneOffset.UTC);

    private final ReportAggregator aggregator = new ReportAggregator(ReportLimits.defaults(), CLOCK, Report.SOURCE_DAEMON);

    @Test
    void aggregatesEachAppPerDestination() {
        aggregator.record(injected(1000, "tito", "api.cloudflare.com", "CLOUDFLARE_D1_API_TOKEN"));
        aggregator.record(injected(3000, "tito", "api.cloudflare.com", "CLOUDFLARE_D1_API_TOKEN"));
        aggregator.record(request(2000, "tito", "api.cloudflare.com", 443, Decision.DENIED, 421));
        aggregator.record(tunnel(4000, "tito", "example.org", 443));
        aggregator.record(injected(5000, "other-app", "places.googleapis.com", "GOOGLE_PLACES_API_KEY"));

        Report report = aggregator.snapshot();

        assertThat(report.generatedMillis()).isEqualTo(9_999_999);
        assertThat(report.source()).isEqualTo("daemon");
        assertThat(report.requests()).isEqualTo(5);
        assertThat(report.firstSeenMillis()).isEqualTo(1000);
        assertThat(report.lastSeenMillis()).isEqualTo(5000);
        assertThat(report.apps()).extracting(AppReport::app).containsExactly("tito", "other-app");
        AppReport tito = report.apps().get(0);
        assertThat(tito.requests()).isEqualTo(4);
        assertThat(tito.decisions()).containsExactly(Map.entry("denied", 1L), Map.entry("injected", 2L), Map.entry("tunnel", 1L));
        assertThat(tito.bytesUp()).isEqualTo(10 + 10 + 1 + 300);
        assertThat(tito.destinations()).extracting(DestinationReport::destination)
                .containsExactly("api.cloudflare.com:443", "example.org:443");
        DestinationReport cf = tito.destinations().get(0);
        assertThat(cf.requests()).isEqualTo(3);
        assertThat(cf.statuses()).containsExactly(Map.entry("200", 2L), Map.entry("421", 1L));
        assertThat(cf.secretNames()).containsExactly("CLOUDFLARE_D1_API_TOKEN");
        assertThat(cf.firstSeenMillis()).isEqualTo(1000);
        assertThat(cf.lastSeenMillis()).isEqualTo(3000);
        assertThat(cf.bytesDown()).isEqualTo(100 + 100 + 2);
        assertThat(tito.destinations().get(1).statuses()).containsExactly(Map.entry("0", 1L));
    }

    @Test
    void mergesAgentEventsIntoTheAppsInstrumentedClientsAndBypasses() {
        aggregator.recordAgentEvent(AgentEvent.instrumented(10, "tito", "okhttp"));
        aggregator.recordAgentEvent(AgentEvent.instrumented(11, "tito", "jdk-httpclient"));
        aggregator.recordAgentEvent(AgentEvent.instrumented(12, "tito", "okhttp"));
        aggregator.recordAgentEvent(blocked(20, "tito", "smtp.example", 25, "com.example.Mailer.send"));
        aggregator.recordAgentEvent(blocked(30, "tito", "smtp.example", 25, "com.example.Mailer.send"));
        aggregator.recordAgentEvent(tunneled(25, "tito", "db.example", 5432, "com.example.Db.connect"));

        AppReport tito = aggregator.snapshot().apps().get(0);

        assertThat(tito.instrumentedClients()).containsExactly("jdk-httpclient", "okhttp");
        assertThat(tito.requests()).isZero();
        assertThat(tito.firstSeenMillis()).isEqualTo(10);
        assertThat(tito.lastSeenMillis()).isEqualTo(30);
        assertThat(tito.bypasses()).containsExactly(
                new BypassReport("socket_blocked", "smtp.example", 25, "com.example.Mailer.send", "java.net.Socket", 2, 20, 30),
                new BypassReport("socket_tunneled", "db.example", 5432, "com.example.Db.connect",
                        "java.nio.channels.SocketChannel", 1, 25, 25));
        assertThat(tito.bypassAttempts()).isEqualTo(3);
    }

    @Test
    void tenThousandDestinationsFoldIntoOneOtherBucketPastTheLimit() {
        int limit = ReportLimits.defaults().maxDestinationsPerApp();
        for (int i = 0; i < 10_000; i++) {
            aggregator.record(tunnel(i, "scanner", "host-" + i + ".example", 443));
        }
        // Hosts already kept still count under their own name after the limit is reached.
        aggregator.record(tunnel(20_000, "scanner", "host-0.example", 443));

        AppReport scanner = aggregator.snapshot().apps().get(0);

        assertThat(scanner.destinations()).hasSize(limit + 1);
        DestinationReport other = scanner.destinations().get(limit);
        assertThat(other.isOverflow()).isTrue();
        assertThat(other.requests()).isEqualTo(10_000 - limit);
        assertThat(other.lastSeenMillis()).isEqualTo(9_999);
        assertThat(scanner.destinations()).filteredOn(d -> d.host().equals("host-0.example"))
                .singleElement().extracting(DestinationReport::requests).isEqualTo(2L);
        assertThat(scanner.requests()).isEqualTo(10_001);
    }

    @Test
    void appsPastTheLimitAreCountedAsOther() {
        ReportAggregator small = new ReportAggregator(new ReportLimits(3, 10, 10, 10, 10, 10), CLOCK, Report.SOURCE_DAEMON);
        for (int i = 0; i < 1000; i++) {
            small.record(injected(i, "app-" + i, "h", "T"));
            small.recordAgentEvent(AgentEvent.instrumented(i, "app-" + i, "okhttp"));
        }

        Report report = small.snapshot();

        assertThat(report.apps()).filteredOn(a -> a.requests() > 0).hasSize(4);
        assertThat(report.requests()).isEqualTo(1000);
        assertThat(report.apps().get(0).app()).isEqualTo(Report.OTHER);
        assertThat(report.apps().get(0).requests()).isEqualTo(997);
        // The events of names past the limit stay out of the named slots: one small pool, then one entry.
        assertThat(report.apps()).filteredOn(a -> a.requests() == 0).extracting(AppReport::app)
                .containsExactlyInAnyOrder("app-3", ReportAggregator.EVENTS_ONLY);
        assertThat(report.timeline().buckets()).allSatisfy(b -> assertThat(b.requestsByApp()).hasSizeLessThanOrEqualTo(4));
    }

    @Test
    void namesSeenOnlyInEventsNeverTakeTheSlotsOfAppsWithTraffic() {
        ReportAggregator small = new ReportAggregator(new ReportLimits(5, 10, 10, 10, 10, 10), CLOCK, Report.SOURCE_DAEMON);
        small.recordAgentEvent(AgentEvent.instrumented(1, "real", "okhttp")); // the real agent reports before its first request
        for (int i = 0; i < 1000; i++) {
            small.recordAgentEvent(AgentEvent.instrumented(i, "invented-" + i, "okhttp"));
        }
        small.record(injected(2, "real", "h", "T"));
        for (int i = 0; i < 4; i++) {
            small.record(injected(3, "busy-" + i, "h", "T"));
        }

        Report report = small.snapshot();

        assertThat(report.apps()).filteredOn(a -> a.requests() > 0).extracting(AppReport::app)
                .containsExactlyInAnyOrder("real", "busy-0", "busy-1", "busy-2", "busy-3");
        AppReport real = report.apps().stream().filter(a -> a.app().equals("real")).findFirst().orElseThrow();
        assertThat(real.instrumentedClients()).as("what its events gathered came along").containsExactly("okhttp");
        // Five with traffic and the one shared entry: "real" had the events-only pool's only slot, then moved out of it.
        assertThat(report.apps()).extracting(AppReport::app).doesNotContain(Report.OTHER).contains(ReportAggregator.EVENTS_ONLY)
                .hasSize(6);
    }

    @Test
    void bypassEntriesClientsAndSecretNamesAreBoundedToo() {
        ReportAggregator small = new ReportAggregator(new ReportLimits(10, 10, 5, 3, 4, 10), CLOCK, Report.SOURCE_DAEMON);
        for (int i = 0; i < 1000; i++) {
            small.recordAgentEvent(blocked(i, "a", "h" + i, 1, "F.m"));
            small.recordAgentEvent(AgentEvent.instrumented(i, "a", "client-" + i));
            small.record(new AuditEvent(i, "a", "c", "GET", "https", "h", 443, "/", Decision.INJECTED,
                    List.of("S" + i), 100 + i, 0, 0, 0, null));
        }

        AppReport a = small.snapshot().apps().get(0);

        assertThat(a.bypasses()).hasSize(6);
        assertThat(a.bypassAttempts()).isEqualTo(1000);
        assertThat(a.bypasses()).filteredOn(b -> b.host().equals(Report.OTHER)).singleElement()
                .extracting(BypassReport::count).isEqualTo(995L);
        assertThat(a.instrumentedClients()).hasSize(3);
        DestinationReport h = a.destinations().get(0);
        assertThat(h.secretNames()).hasSize(4);
        assertThat(h.statuses()).hasSize(5).containsEntry(Report.OTHER, 996L);
    }

    @Test
    void theTimelineStaysWithinItsBucketCountOverLongRanges() {
        long minute = 60_000;
        for (int i = 0; i < 10 * 24 * 60; i++) { // ten days, one request a minute
            aggregator.record(injected(1_700_000_000_000L + i * minute, i % 2 == 0 ? "a" : "b", "h", "T"));
        }

        Timeline timeline = aggregator.snapshot().timeline();

        assertThat(timeline.buckets()).hasSizeLessThanOrEqualTo(ReportLimits.defaults().timelineBuckets());
        assertThat(timeline.buckets().stream().mapToLong(TimelineBucket::total).sum()).isEqualTo(10 * 24 * 60);
        assertThat(timeline.bucketMillis()).isGreaterThanOrEqualTo(10L * 24 * 60 * minute / 120);
        for (TimelineBucket b : timeline.buckets()) {
            assertThat(b.startMillis() % timeline.bucketMillis()).isZero();
        }
    }

    @Test
    void countsExactlyUnderConcurrentRecording() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String app = t % 2 == 0 ? "even" : "odd";
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 50_000; i++) {
                    aggregator.record(injected(i, app, "h" + (i % 7), "T"));
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();

        Report report = aggregator.snapshot();

        assertThat(report.requests()).isEqualTo(200_000);
        assertThat(report.apps()).extracting(AppReport::requests).containsOnly(100_000L);
        assertThat(report.timeline().buckets().stream().mapToLong(TimelineBucket::total).sum()).isEqualTo(200_000);
    }

    @Test
    void namesTheUnknownAppAndSanitizesNames() {
        aggregator.record(injected(1, null, "h", "T"));
        aggregator.record(injected(1, "<script>", "h", "T"));

        assertThat(aggregator.snapshot().apps()).extracting(AppReport::app).containsExactlyInAnyOrder("unknown", "_script_");
    }

    @Test
    void snapshotsRoundTripThroughTheJsonSchema() throws Exception {
        aggregator.record(injected(1000, "tito", "api.cloudflare.com", "CLOUDFLARE_D1_API_TOKEN"));
        aggregator.record(tunnel(4000, "tito", "::1", 443));
        aggregator.recordAgentEvent(blocked(20, "tito", "smtp.example", 25, "com.example.Mailer.send"));
        ObjectMapper json = AuditJson.newMapper();

        Report report = aggregator.snapshot();
        String text = json.writeValueAsString(report);

        assertThat(json.readValue(text, Report.class)).isEqualTo(report);
        assertThat(text).contains("\"decisions\":{\"injected\":1}").contains("\"secretNames\":[\"CLOUDFLARE_D1_API_TOKEN\"]")
                .doesNotContain("overflow").doesNotContain("bypassAttempts");
    }
}
