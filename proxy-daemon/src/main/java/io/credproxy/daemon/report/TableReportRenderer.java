package io.credproxy.daemon.report;

import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.BypassReport;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.report.DestinationReport;
import io.credproxy.protocol.report.InstrumentationFailure;
import io.credproxy.protocol.report.Report;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report for a terminal: an overview line per app, then a section per app with its bypass
 * attempts (marked {@code !!}, and red when {@code color}) before its destinations.
 *
 * <p>Hooks the agent could not weave are errors, shown the same way under the word {@code ERROR}.
 *
 * <p>All text from apps and agents goes through {@link ReportText#clean} so that an app cannot
 * send escape sequences to the operator's terminal.
 */
final class TableReportRenderer implements ReportRenderer {
    static final String BYPASS_MARK = "!!";
    private static final String RED = "\u001b[1;31m";
    private static final String RESET = "\u001b[0m";

    @Override
    public void render(Report report, Writer out, boolean color) throws IOException {
        Lines lines = new Lines(out, color);
        lines.add(String.format("credproxy report: %d apps, %d requests, %s .. %s (source: %s, generated %s)",
                report.apps().size(), report.requests(), ReportText.time(report.firstSeenMillis()),
                ReportText.time(report.lastSeenMillis()), ReportText.clean(report.source()),
                ReportText.time(report.generatedMillis())));
        if (report.apps().isEmpty()) {
            lines.add("");
            lines.add("No requests or agent events recorded.");
            return;
        }
        lines.add("");
        TextTable overview = new TextTable("APP", ">REQUESTS", ">INJECTED", ">PASSTHROUGH", ">TUNNEL", ">DENIED", ">ERROR",
                ">BYPASS", "LAST SEEN");
        for (AppReport a : report.apps()) {
            overview.add(a.app(), a.requests(), a.count(Decision.INJECTED), a.count(Decision.PASSTHROUGH),
                    a.count(Decision.TUNNEL), a.count(Decision.DENIED), a.count(Decision.ERROR),
                    a.bypassAttempts() > 0 ? a.bypassAttempts() + " " + BYPASS_MARK : "0", ReportText.time(a.lastSeenMillis()));
        }
        for (String line : overview.lines("")) {
            lines.add(line);
        }
        for (AppReport a : report.apps()) {
            section(a, lines);
        }
    }

    private static void section(AppReport a, Lines lines) throws IOException {
        lines.add("");
        lines.add("== " + ReportText.clean(a.app()) + " ==");
        lines.add(String.format("   %d requests (%s), up %s, down %s, %s .. %s", a.requests(), decisions(a.decisions()),
                ReportText.bytes(a.bytesUp()), ReportText.bytes(a.bytesDown()),
                ReportText.time(a.firstSeenMillis()), ReportText.time(a.lastSeenMillis())));
        if (!a.instrumentedClients().isEmpty()) {
            lines.add("   instrumented: " + ReportText.clean(String.join(", ", a.instrumentedClients())));
        }
        if (!a.instrumentationFailures().isEmpty()) {
            lines.alarm(BYPASS_MARK + " ERROR: the agent could not instrument these clients (only its socket fence stands):");
            for (InstrumentationFailure f : a.instrumentationFailures()) {
                lines.alarm(BYPASS_MARK + "    " + ReportText.clean(f.client()) + ": no " + ReportText.clean(f.hook()));
            }
        }
        String identity = ReportText.identity(a);
        if (identity != null) {
            lines.add("   identity: " + ReportText.clean(identity));
        }
        String credentials = ReportText.credentials(a);
        if (credentials != null) {
            lines.add("   credentials: " + ReportText.clean(credentials));
        }
        if (!a.bypasses().isEmpty()) {
            lines.alarm(BYPASS_MARK + " " + a.bypassAttempts() + " raw socket connects caught by the agent (bypass attempts):");
            TextTable t = new TextTable("ACTION", "DESTINATION", ">COUNT", "FRAME", "API", "LAST SEEN");
            for (BypassReport b : a.bypasses()) {
                t.add(b.blocked() ? "BLOCKED" : "TUNNELED", b.destination(), b.count(), b.frame() == null ? "-" : b.frame(),
                        b.client() == null ? "-" : b.client(), ReportText.time(b.lastSeenMillis()));
            }
            for (String line : t.lines(BYPASS_MARK + " ")) {
                lines.alarm(line);
            }
            lines.add("");
        }
        if (a.destinations().isEmpty()) {
            lines.add("   no requests");
            return;
        }
        TextTable t = new TextTable("DESTINATION", ">REQUESTS", ">INJECTED", ">PASSTHROUGH", ">TUNNEL", ">DENIED", ">ERROR",
                "STATUS", ">UP", ">DOWN", "LAST SEEN", "SECRETS");
        for (DestinationReport d : a.destinations()) {
            t.add(d.destination(), d.requests(), d.count(Decision.INJECTED), d.count(Decision.PASSTHROUGH),
                    d.count(Decision.TUNNEL), d.count(Decision.DENIED), d.count(Decision.ERROR), statuses(d.statuses()),
                    ReportText.bytes(d.bytesUp()), ReportText.bytes(d.bytesDown()), ReportText.time(d.lastSeenMillis()),
                    d.secretNames().isEmpty() ? "-" : String.join(",", d.secretNames()));
        }
        for (String line : t.lines("   ")) {
            lines.add(line);
        }
    }

    private static String decisions(Map<String, Long> decisions) {
        if (decisions.isEmpty()) {
            return "none";
        }
        return decisions.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    /** The most frequent statuses, {@code 200:12 404:1}; a tunnel's "no status" (0) is left out. */
    private static String statuses(Map<String, Long> statuses) {
        List<Map.Entry<String, Long>> top = statuses.entrySet().stream()
                .filter(e -> !e.getKey().equals("0"))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList();
        if (top.isEmpty()) {
            return "-";
        }
        String shown = top.stream().limit(3).map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" "));
        return top.size() > 3 ? shown + " ..." : shown;
    }

    /** Writes lines, colouring alarms when asked. */
    private record Lines(Writer out, boolean color) {
        void add(String line) throws IOException {
            out.write(line);
            out.write('\n');
        }

        void alarm(String line) throws IOException {
            add(color ? RED + line + RESET : line);
        }
    }
}
