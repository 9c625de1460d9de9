package io.credproxy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.bench.scenario.RequestLoopScenario;
import io.credproxy.bench.scenario.RequestLoopScenario.Mode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultReportTest {
    private static final List<PlannedScenario> PLAN = List.of(
            new PlannedScenario(new RequestLoopScenario(Profiles.KEEPALIVE_C1, Mode.KEEP_ALIVE, 1, Duration.ZERO, Duration.ZERO, Duration.ZERO), 1),
            new PlannedScenario(new RequestLoopScenario(Profiles.KEEPALIVE_C16, Mode.KEEP_ALIVE, 16, Duration.ZERO, Duration.ZERO, Duration.ZERO), 1),
            new PlannedScenario(new RequestLoopScenario(Profiles.NEWCONN_C16, Mode.NEW_CONNECTION, 16, Duration.ZERO, Duration.ZERO, Duration.ZERO), 1));

    /** {@code n} requests of {@code micros} each over one second, with the given proxy CPU. */
    private static Tally tally(int n, long micros, double cpu, int errors) {
        Tally t = new Tally();
        for (int i = 0; i < n; i++) {
            t.record(micros * 1000, i < errors ? "wrong" : null);
        }
        t.addElapsed(1_000_000_000L);
        t.addUsage(new ProxyMeter.Usage(cpu, 100 * 1024, 90 * 1024, 20));
        return t;
    }

    private static Map<String, Map<String, Tally>> results(Tally direct, Tally credproxy, Tally mitm) {
        return results(direct, credproxy, null, mitm);
    }

    private static Map<String, Map<String, Tally>> results(Tally direct, Tally credproxy, Tally squid, Tally mitm) {
        Map<String, Map<String, Tally>> results = new LinkedHashMap<>();
        for (String scenario : List.of(Profiles.KEEPALIVE_C1, Profiles.KEEPALIVE_C16, Profiles.NEWCONN_C16)) {
            Map<String, Tally> byTarget = new LinkedHashMap<>();
            byTarget.put("direct", direct);
            byTarget.put("credproxy", credproxy);
            if (squid != null) {
                byTarget.put("squid", squid);
            }
            byTarget.put("mitmdump", mitm);
            results.put(scenario, byTarget);
        }
        return results;
    }

    @Test
    void ratiosAndTargetsComeFromTheSameRun() {
        ResultReport report = new ResultReport(PLAN,
                results(tally(10_000, 100, 0, 0), tally(6_000, 250, 1.5, 0), tally(500, 2_000, 2.0, 0)), Map.of("profile", "full"));
        String md = report.markdown();
        assertThat(md).contains("| keepalive-c16 | credproxy | 6,000 | 0.250 |");
        assertThat(md).contains("0.60x | – | 12.00x | 0.150 |");
        assertThat(md).contains("| 0 | 250 | 90 | 100 | 20 |"); // CPU µs per request: 1.5 s / 6,000; RSS under load, peak
        List<ResultReport.Check> checks = report.checks();
        assertThat(checks).extracting(ResultReport.Check::target).contains(
                "keep-alive c=16: credproxy >= 10x mitmdump", "keep-alive c=16: credproxy >= 55% of direct",
                "keep-alive c=1: p50 added over direct <= 0.2 ms");
        assertThat(checks).allMatch(ResultReport.Check::met);
        assertThat(report.failures()).isEmpty();
    }

    @Test
    void credproxyIsMeasuredAgainstSquid() {
        ResultReport report = new ResultReport(PLAN,
                results(tally(10_000, 100, 0, 0), tally(6_000, 250, 1.5, 0), tally(4_000, 300, 0.8, 3), tally(500, 2_000, 2.0, 0)),
                Map.of("profile", "full", "credproxy JVM options", "-Xmx64m"));
        String md = report.markdown();
        // credproxy's row: ratio to direct, to squid (6,000 / 3,997 right answers), to mitmdump.
        assertThat(md).contains("| keepalive-c16 | credproxy | 6,000 | 0.250 | 0.250 | 0 | 250 | 90 | 100 | 20 | 0.60x | 1.50x | 12.00x | 0.150 |");
        assertThat(md).contains("| keepalive-c16 | squid | 3,997 |");
        assertThat(report.checks()).extracting(ResultReport.Check::target, ResultReport.Check::met).contains(
                org.assertj.core.groups.Tuple.tuple("keep-alive c=16: credproxy >= 1.2x squid", true),
                org.assertj.core.groups.Tuple.tuple("keep-alive c=16: CPU per request <= squid's", false),
                org.assertj.core.groups.Tuple.tuple("keep-alive c=1: p50 added over direct <= squid's", true),
                org.assertj.core.groups.Tuple.tuple("new connection per request c=16: credproxy >= 2x squid", false),
                org.assertj.core.groups.Tuple.tuple("RSS under the keep-alive c=16 load (-Xmx64m) <= 96 MiB", true));
        // squid's wrong answers are reported, not fatal: it is a competitor.
        assertThat(report.failures()).isEmpty();
        assertThat(md).contains("keepalive-c16 / squid: 3 errors");
    }

    @Test
    void aMissedTargetIsReportedButAWrongAnswerFailsTheRun() {
        ResultReport report = new ResultReport(PLAN,
                results(tally(10_000, 100, 0, 0), tally(3_000, 500, 1.5, 2), tally(500, 2_000, 2.0, 7)), Map.of("profile", "full"));
        assertThat(report.checks()).filteredOn(c -> !c.met()).extracting(ResultReport.Check::target)
                .contains("keep-alive c=16: credproxy >= 55% of direct", "keep-alive c=1: p50 added over direct <= 0.2 ms",
                        "every credproxy response carried the injected credential");
        assertThat(report.markdown()).contains("| **no** |");
        // The competitor's errors are reported; ours fail the run.
        assertThat(report.failures()).hasSize(3).allMatch(f -> f.contains("credproxy"));
    }

    @Test
    void aScenarioWhereNothingFinishedFailsTheRun() {
        ResultReport report = new ResultReport(PLAN,
                results(tally(10, 100, 0, 0), new Tally(), tally(5, 2_000, 2.0, 0)), Map.of("profile", "smoke"));
        assertThat(report.failures()).anyMatch(f -> f.contains("nothing finished"));
        assertThat(report.checks()).isEmpty();
    }
}
