package io.credproxy.protocol.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportRecordsTest {

    @Test
    void countMapsAreSortedAndImmutableCopies() {
        Map<String, Long> statuses = new HashMap<>();
        statuses.put("502", 1L);
        statuses.put("200", 7L);
        statuses.put("0", 2L);
        DestinationReport d = new DestinationReport("h", 443, 10, Map.of("injected", 10L), statuses,
                1, 2, 3, 4, List.of("TOKEN"));
        statuses.put("404", 9L);

        assertThat(d.statuses()).containsExactly(Map.entry("0", 2L), Map.entry("200", 7L), Map.entry("502", 1L));
        assertThat(d.count(Decision.INJECTED)).isEqualTo(10);
        assertThat(d.count(Decision.DENIED)).isZero();
    }

    @Test
    void destinationsPrintLikeHostPortAndTheOverflowBucketByName() {
        assertThat(dest("api.example.com", 443).destination()).isEqualTo("api.example.com:443");
        assertThat(dest("::1", 8443).destination()).isEqualTo("[::1]:8443");
        DestinationReport other = dest(Report.OTHER, 0);
        assertThat(other.isOverflow()).isTrue();
        assertThat(other.destination()).isEqualTo("(other)");
    }

    @Test
    void appReportSumsBypassAttempts() {
        AppReport app = new AppReport("a", 0, null, 0, 0, 0, 0, null, null, List.of(
                new BypassReport(BypassReport.BLOCKED, "h", 1, "F.m", null, 3, 1, 2),
                new BypassReport(BypassReport.TUNNELED, "h", 2, "F.m", null, 4, 1, 2)));

        assertThat(app.bypassAttempts()).isEqualTo(7);
        assertThat(app.bypasses().get(0).blocked()).isTrue();
        assertThat(app.bypasses().get(1).blocked()).isFalse();
        assertThat(app.decisions()).isEmpty();
    }

    @Test
    void timelineBucketTotalsAllApps() {
        assertThat(new TimelineBucket(0, Map.of("a", 2L, "b", 5L)).total()).isEqualTo(7);
        assertThat(new Report(0, Report.SOURCE_DAEMON, 0, 0, 0, null, null).timeline()).isEqualTo(Timeline.EMPTY);
    }

    private static DestinationReport dest(String host, int port) {
        return new DestinationReport(host, port, 1, null, null, 0, 0, 0, 0, null);
    }
}
