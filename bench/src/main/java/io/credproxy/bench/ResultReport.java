package io.credproxy.bench;

import io.credproxy.bench.scenario.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the runner's tallies into the Markdown report: one table per kind of scenario, ratios of
 * each target to the baseline (direct) and to the competitors (squid with ssl-bump, mitmdump), and
 * the issues' targets with their verdicts.
 */
public final class ResultReport {
    public static final String SUBJECT = "credproxy";
    public static final String BASELINE = "direct";
    public static final String COMPETITOR = "mitmdump";
    /** squid with ssl-bump: the C proxy a sysadmin would pick to inject a header (issue 15's bar). */
    public static final String SQUID = "squid";
    private static final List<String> COMPETITORS = List.of(SQUID, COMPETITOR);

    /** One target of an issue with what was measured. */
    public record Check(String target, String measured, boolean met) {}

    private final Map<String, Map<String, Tally>> results;
    private final Map<String, Scenario.Kind> kinds = new LinkedHashMap<>();
    private final Map<String, String> meta;

    public ResultReport(List<PlannedScenario> plan, Map<String, Map<String, Tally>> results, Map<String, String> meta) {
        this.results = results;
        this.meta = meta;
        plan.forEach(p -> kinds.put(p.scenario().id(), p.scenario().kind()));
    }

    /**
     * What makes the run a failure: any wrong answer from the subject or the baseline, or a scenario
     * in which either finished nothing. The competitors' errors are reported, never fatal.
     */
    public List<String> failures() {
        List<String> out = new ArrayList<>();
        results.forEach((scenario, byTarget) -> byTarget.forEach((target, t) -> {
            if (COMPETITORS.contains(target)) {
                return;
            }
            if (t.errors() > 0) {
                out.add(scenario + " / " + target + ": " + t.errors() + " wrong or failed answers");
            } else if (t.operations() == 0) {
                out.add(scenario + " / " + target + ": nothing finished in the measured time");
            }
        }));
        return out;
    }

    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# credproxy benchmark results\n\n");
        meta.forEach((k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
        out.append('\n');
        section(out, Scenario.Kind.REQUESTS, "HTTPS GETs (each answer carries the upstream's verdict on the injected header)",
                "| scenario | target | req/s | p50 ms | p99 ms | errors | proxy CPU µs / req | RSS MiB under load | peak RSS MiB | peak fds"
                        + " | req/s vs direct | req/s vs squid | req/s vs mitmdump | p50 added over direct ms |");
        section(out, Scenario.Kind.TRANSFER, "Large bodies",
                "| scenario | target | MiB/s | seconds | errors | proxy CPU s / GiB | RSS MiB under load | peak RSS MiB | peak fds"
                        + " | MiB/s vs direct | MiB/s vs squid | MiB/s vs mitmdump |");
        section(out, Scenario.Kind.SSE_FIRST_EVENT, "Server-sent events: time to first event (paced streams)",
                "| scenario | target | streams | first event p50 ms | p99 ms | event delay p50 ms | event delay max ms | errors | proxy CPU s"
                        + " | RSS MiB under load | peak RSS MiB | buffered streams | first event p50 added over direct ms |");
        section(out, Scenario.Kind.SSE_RATE, "Server-sent events: rate (one stream, back to back)",
                "| scenario | target | events/s | first event ms | errors | proxy CPU s | RSS MiB under load | peak RSS MiB"
                        + " | events/s vs direct | events/s vs squid | events/s vs mitmdump |");
        List<Check> checks = checks();
        if (!checks.isEmpty()) {
            out.append("## Targets (issues 5 and 15)\n\n| target | measured | met |\n|---|---|---|\n");
            for (Check c : checks) {
                out.append("| ").append(c.target()).append(" | ").append(c.measured()).append(" | ")
                        .append(c.met() ? "yes" : "**no**").append(" |\n");
            }
            out.append('\n');
        }
        List<String> errors = firstErrors();
        if (!errors.isEmpty()) {
            out.append("## First error per scenario and target\n\n");
            errors.forEach(e -> out.append("- ").append(e).append('\n'));
            out.append('\n');
        }
        return out.toString();
    }

    private void section(StringBuilder out, Scenario.Kind kind, String title, String header) {
        List<String> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, Tally>> scenario : results.entrySet()) {
            if (kinds.get(scenario.getKey()) != kind) {
                continue;
            }
            Map<String, Tally> byTarget = scenario.getValue();
            for (Map.Entry<String, Tally> e : byTarget.entrySet()) {
                rows.add(row(kind, scenario.getKey(), e.getKey(), e.getValue(), byTarget));
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        out.append("## ").append(title).append("\n\n").append(header).append('\n');
        out.append("|").append("---|".repeat((int) header.chars().filter(c -> c == '|').count() - 1)).append('\n');
        rows.forEach(r -> out.append(r).append('\n'));
        out.append('\n');
    }

    private String row(Scenario.Kind kind, String scenario, String target, Tally t, Map<String, Tally> all) {
        Tally direct = all.get(BASELINE);
        boolean proxy = !target.equals(BASELINE);
        String rss = proxy ? mib(t.loadRssKib()) : "–";
        String peakRss = proxy ? mib(t.peakRssKib()) : "–";
        String fds = proxy ? Integer.toString(t.peakFds()) : "–";
        return switch (kind) {
            case REQUESTS -> cells(scenario, target, num(t.perSecond(), 0), num(t.percentileMillis(50), 3),
                    num(t.percentileMillis(99), 3), Long.toString(t.errors()), proxy ? num(t.cpuMicrosPerOperation(), 0) : "–",
                    rss, peakRss, fds,
                    ratio(t.perSecond(), proxy ? rate(direct, Tally::perSecond) : Double.NaN),
                    ratio(t.perSecond(), target.equals(SQUID) ? Double.NaN : rate(all.get(SQUID), Tally::perSecond)),
                    ratio(t.perSecond(), target.equals(COMPETITOR) ? Double.NaN : rate(all.get(COMPETITOR), Tally::perSecond)),
                    direct == null || !proxy ? "–" : num(t.percentileMillis(50) - direct.percentileMillis(50), 3));
            case TRANSFER -> cells(scenario, target, num(t.mibPerSecond(), 1), num(t.elapsedSeconds(), 2),
                    Long.toString(t.errors()), proxy ? num(t.cpuSecondsPerGib(), 2) : "–", rss, peakRss, fds,
                    ratio(t.mibPerSecond(), proxy ? rate(direct, Tally::mibPerSecond) : Double.NaN),
                    ratio(t.mibPerSecond(), target.equals(SQUID) ? Double.NaN : rate(all.get(SQUID), Tally::mibPerSecond)),
                    ratio(t.mibPerSecond(), target.equals(COMPETITOR) ? Double.NaN : rate(all.get(COMPETITOR), Tally::mibPerSecond)));
            case SSE_FIRST_EVENT -> cells(scenario, target, Long.toString(t.streams()), num(t.percentileMillis(50), 3),
                    num(t.percentileMillis(99), 3), num(t.eventDelayMillis(50), 3), num(t.eventDelayMillis(100), 1),
                    Long.toString(t.errors()), proxy ? num(t.cpuSeconds(), 2) : "–", rss, peakRss,
                    Long.toString(t.bufferedStreams()),
                    direct == null || !proxy ? "–" : num(t.percentileMillis(50) - direct.percentileMillis(50), 3));
            case SSE_RATE -> cells(scenario, target, num(t.eventsPerSecond(), 0), num(t.percentileMillis(50), 1),
                    Long.toString(t.errors()),
                    proxy ? num(t.cpuSeconds(), 2) : "–", rss, peakRss,
                    ratio(t.eventsPerSecond(), proxy ? rate(direct, Tally::eventsPerSecond) : Double.NaN),
                    ratio(t.eventsPerSecond(), target.equals(SQUID) ? Double.NaN : rate(all.get(SQUID), Tally::eventsPerSecond)),
                    ratio(t.eventsPerSecond(), target.equals(COMPETITOR) ? Double.NaN : rate(all.get(COMPETITOR), Tally::eventsPerSecond)));
        };
    }

    private static double rate(Tally t, java.util.function.ToDoubleFunction<Tally> of) {
        return t == null ? Double.NaN : of.applyAsDouble(t);
    }

    /** The targets that this run measured; a smoke run measures none of them at their sizes. */
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        Tally ka16 = get(Profiles.KEEPALIVE_C16, SUBJECT);
        if (ka16 != null && get(Profiles.KEEPALIVE_C16, COMPETITOR) != null && !isSmoke()) {
            double vsMitm = ka16.perSecond() / get(Profiles.KEEPALIVE_C16, COMPETITOR).perSecond();
            checks.add(new Check("keep-alive c=16: credproxy >= 10x mitmdump", num(vsMitm, 1) + "x", vsMitm >= 10));
        }
        if (ka16 != null && get(Profiles.KEEPALIVE_C16, BASELINE) != null && !isSmoke()) {
            double vsDirect = ka16.perSecond() / get(Profiles.KEEPALIVE_C16, BASELINE).perSecond();
            checks.add(new Check("keep-alive c=16: credproxy >= 55% of direct", num(vsDirect * 100, 0) + "%", vsDirect >= 0.55));
        }
        Tally ka1 = get(Profiles.KEEPALIVE_C1, SUBJECT);
        if (ka1 != null && get(Profiles.KEEPALIVE_C1, BASELINE) != null && !isSmoke()) {
            double added = ka1.percentileMillis(50) - get(Profiles.KEEPALIVE_C1, BASELINE).percentileMillis(50);
            checks.add(new Check("keep-alive c=1: p50 added over direct <= 0.2 ms", num(added, 3) + " ms", added <= 0.2));
        }
        Tally nc16 = get(Profiles.NEWCONN_C16, SUBJECT);
        if (nc16 != null && get(Profiles.NEWCONN_C16, COMPETITOR) != null && !isSmoke()) {
            double vsMitm = nc16.perSecond() / get(Profiles.NEWCONN_C16, COMPETITOR).perSecond();
            checks.add(new Check("new connection per request c=16: credproxy >= 4x mitmdump", num(vsMitm, 1) + "x", vsMitm >= 4));
        }
        squidChecks(checks);
        Tally sse = get(Profiles.SSE_FIRST_EVENT, SUBJECT);
        if (sse != null && get(Profiles.SSE_FIRST_EVENT, BASELINE) != null && !isSmoke()) {
            double added = sse.percentileMillis(50) - get(Profiles.SSE_FIRST_EVENT, BASELINE).percentileMillis(50);
            checks.add(new Check("SSE: first event within 1 ms of direct (p50), none buffered",
                    num(added, 3) + " ms, " + sse.bufferedStreams() + "/" + sse.streams() + " buffered",
                    added <= 1 && sse.bufferedStreams() == 0 && sse.errors() == 0));
        }
        Tally held = get(Profiles.HELD_1000, SUBJECT);
        if (held != null) {
            boolean met = held.errors() == 0 && held.peakRssKib() <= 256 * 1024 && held.peakFds() >= 1000;
            checks.add(new Check("1,000 keep-alive connections held (" + meta.getOrDefault("credproxy JVM options", "?")
                    + "): RSS <= 256 MiB, no errors",
                    mib(held.peakRssKib()) + " MiB peak RSS, " + held.peakFds() + " fds, " + held.errors() + " errors", met));
        }
        if (!isSmoke()) {
            long subjectErrors = results.values().stream().map(m -> m.get(SUBJECT)).filter(t -> t != null).mapToLong(Tally::errors).sum();
            checks.add(new Check("every credproxy response carried the injected credential", subjectErrors + " errors", subjectErrors == 0));
        }
        return checks;
    }

    /** Issue 15: ahead of squid ssl-bump on every load, and a small daemon. */
    private void squidChecks(List<Check> checks) {
        if (isSmoke()) {
            return;
        }
        Tally ka16 = get(Profiles.KEEPALIVE_C16, SUBJECT);
        Tally squid16 = get(Profiles.KEEPALIVE_C16, SQUID);
        if (ka16 != null && squid16 != null) {
            double vs = ka16.perSecond() / squid16.perSecond();
            checks.add(new Check("keep-alive c=16: credproxy >= 1.2x squid", num(vs, 2) + "x", vs >= 1.2));
            double cpu = ka16.cpuMicrosPerOperation();
            double squidCpu = squid16.cpuMicrosPerOperation();
            checks.add(new Check("keep-alive c=16: CPU per request <= squid's",
                    num(cpu, 0) + " µs vs " + num(squidCpu, 0) + " µs", cpu <= squidCpu));
        }
        Tally ka1 = get(Profiles.KEEPALIVE_C1, SUBJECT);
        Tally squid1 = get(Profiles.KEEPALIVE_C1, SQUID);
        Tally direct1 = get(Profiles.KEEPALIVE_C1, BASELINE);
        if (ka1 != null && squid1 != null && direct1 != null) {
            double added = ka1.percentileMillis(50) - direct1.percentileMillis(50);
            double squidAdded = squid1.percentileMillis(50) - direct1.percentileMillis(50);
            checks.add(new Check("keep-alive c=1: p50 added over direct <= squid's",
                    num(added, 3) + " ms vs " + num(squidAdded, 3) + " ms", added <= squidAdded));
        }
        Tally nc16 = get(Profiles.NEWCONN_C16, SUBJECT);
        Tally squidNc16 = get(Profiles.NEWCONN_C16, SQUID);
        if (nc16 != null && squidNc16 != null) {
            double vs = nc16.perSecond() / squidNc16.perSecond();
            checks.add(new Check("new connection per request c=16: credproxy >= 2x squid", num(vs, 2) + "x", vs >= 2));
        }
        if (ka16 != null) {
            checks.add(new Check("RSS under the keep-alive c=16 load (" + meta.getOrDefault("credproxy JVM options", "?")
                    + ") <= 96 MiB", mib(ka16.loadRssKib()) + " MiB (peak " + mib(ka16.peakRssKib()) + " MiB)",
                    ka16.loadRssKib() <= 96 * 1024));
        }
    }

    private boolean isSmoke() {
        return "smoke".equals(meta.get("profile"));
    }

    private Tally get(String scenario, String target) {
        Map<String, Tally> byTarget = results.get(scenario);
        return byTarget == null ? null : byTarget.get(target);
    }

    private List<String> firstErrors() {
        List<String> out = new ArrayList<>();
        results.forEach((scenario, byTarget) -> byTarget.forEach((target, t) -> {
            if (t.errors() > 0) {
                out.add(scenario + " / " + target + ": " + t.errors() + " errors, first: " + t.firstError());
            }
        }));
        return out;
    }

    private static String cells(String... values) {
        return "| " + String.join(" | ", values) + " |";
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private static String ratio(double v, double base) {
        return Double.isNaN(base) || base == 0 ? "–" : String.format(Locale.ROOT, "%.2fx", v / base);
    }

    private static String mib(long kib) {
        return String.format(Locale.ROOT, "%.0f", kib / 1024.0);
    }
}
