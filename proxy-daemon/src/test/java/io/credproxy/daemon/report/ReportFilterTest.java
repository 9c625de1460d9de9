package io.credproxy.daemon.report;

import static io.credproxy.daemon.testing.TestEvents.blocked;
import static io.credproxy.daemon.testing.TestEvents.injected;
import static io.credproxy.daemon.testing.TestEvents.tunnel;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.DestinationReport;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.report.TimelineBucket;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class ReportFilterTest {
    private final ReportAggregator aggregator = new ReportAggregator(ReportLimits.defaults(), Clock.systemUTC(), Report.SOURCE_DAEMON);

    @Test
    void keepsOnlyTheNamedApp() {
        aggregator.record(injected(1000, "a", "h1", "T"));
        aggregator.record(injected(2000, "b", "h2", "T"));
        aggregator.record(injected(3000, "b", "h2", "T"));

        Report only = ReportFilter.apply(aggregator.snapshot(), "b", 0);

        assertThat(only.apps()).extracting(AppReport::app).containsExactly("b");
        assertThat(only.requests()).isEqualTo(2);
        assertThat(only.firstSeenMillis()).isEqualTo(2000);
        assertThat(only.timeline().buckets()).allSatisfy(b -> assertThat(b.requestsByApp()).containsOnlyKeys("b"));
        assertThat(only.timeline().buckets().stream().mapToLong(TimelineBucket::total).sum()).isEqualTo(2);
        assertThat(ReportFilter.apply(aggregator.snapshot(), "nobody", 0).apps()).isEmpty();
    }

    @Test
    void sinceKeepsWhatWasLastSeenAfterwardsAndRecomputesTotals() {
        aggregator.record(injected(1_000, "a", "old.example", "T"));
        aggregator.record(tunnel(50_000, "a", "new.example", 443));
        aggregator.recordAgentEvent(blocked(2_000, "a", "smtp.example", 25, "F.m"));
        aggregator.record(injected(1_000, "gone", "old.example", "T"));

        Report since = ReportFilter.apply(aggregator.snapshot(), null, 40_000);

        assertThat(since.apps()).extracting(AppReport::app).containsExactly("a");
        AppReport a = since.apps().get(0);
        assertThat(a.destinations()).extracting(DestinationReport::destination).containsExactly("new.example:443");
        assertThat(a.requests()).isEqualTo(1);
        assertThat(a.bypasses()).isEmpty();
        assertThat(since.requests()).isEqualTo(1);
        assertThat(since.timeline().buckets()).allSatisfy(b -> assertThat(b.startMillis()).isGreaterThan(1_000));
    }
}
