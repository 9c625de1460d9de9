package io.credproxy.daemon.report;

import static io.credproxy.daemon.report.ReportText.html;

import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.BypassReport;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.report.DestinationReport;
import io.credproxy.protocol.report.InstrumentationFailure;
import io.credproxy.protocol.report.Report;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report as one self-contained HTML file: an inline SVG chart of requests over time, an
 * overview, and a section per app with its bypass attempts and destinations.
 *
 * <p>No external scripts, styles, fonts or images, and no script at all; a Content-Security-Policy
 * of {@code default-src 'none'} makes a browser refuse any that slipped in. App names, hosts and
 * frames come from semi-trusted processes (or a report fetched over HTTP), so every value goes
 * through {@link ReportText#html}.
 */
final class HtmlReportRenderer implements ReportRenderer {
    /*
     * Tables fit a 1400-pixel window: cells of host names, frames, statuses and secret names may
     * break anywhere (overflow-wrap:anywhere lowers their minimum width, so the table can shrink to
     * the page); numbers and times stay on one line, headers break between words only.
     */
    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;background:#fff}
            h1{font-size:1.5em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 8px}h3{font-size:1em;margin:12px 0 6px}
            .meta{color:#555;margin:0 0 16px}
            table{border-collapse:collapse;margin:6px 0 12px;font-size:.9em;max-width:100%}
            th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}td.dest,td.wrap{overflow-wrap:anywhere}td.dest{min-width:14em}
            th{background:#f3f3f3}td.num,td.time{white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums}
            section.app{border-top:2px solid #ddd;margin-top:24px}
            .bypasses{background:#fdecea;border:2px solid #c0392b;padding:6px 12px;margin:8px 0}
            .bypasses h3{color:#a93226}tr.blocked td{background:#f9d6d2}
            .legend span{display:inline-block;margin-right:16px}
            .swatch{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px}
            svg text{font-size:11px;fill:#444}
            """;

    @Override
    public void render(Report report, Writer out, boolean color) throws IOException {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>credproxy report</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>credproxy report</h1>\n<p class=\"meta\">")
                .append("<span id=\"total-requests\">").append(report.requests()).append("</span> requests from ")
                .append(report.apps().size()).append(" apps, ").append(html(ReportText.time(report.firstSeenMillis())))
                .append(" .. ").append(html(ReportText.time(report.lastSeenMillis())))
                .append(" (source: ").append(html(report.source())).append(", generated ")
                .append(html(ReportText.time(report.generatedMillis()))).append(")</p>\n");
        AppColours colours = AppColours.assign(report.apps());
        h.append("<h2>Requests over time</h2>\n");
        HtmlChart.render(report, colours, h);
        h.append("<h2>Apps</h2>\n");
        overview(report, colours, h);
        for (int i = 0; i < report.apps().size(); i++) {
            section(i, report.apps().get(i), colours, h);
        }
        h.append("</body>\n</html>\n");
        out.write(h.toString());
    }

    private static void overview(Report report, AppColours colours, StringBuilder h) {
        if (report.apps().isEmpty()) {
            h.append("<p>No requests or agent events recorded.</p>\n");
            return;
        }
        h.append("<table id=\"overview\">\n<tr><th>App</th><th>Requests</th><th>Injected</th><th>Passthrough</th>")
                .append("<th>Tunnel</th><th>Denied</th><th>Error</th><th>Bypass attempts</th><th>Last seen</th></tr>\n");
        for (int i = 0; i < report.apps().size(); i++) {
            AppReport a = report.apps().get(i);
            h.append("<tr").append(a.bypassAttempts() > 0 ? " class=\"blocked\"" : "").append("><td>")
                    .append(HtmlChart.swatch(colours.of(a.app()))).append("<a href=\"#app-").append(i)
                    .append("\">").append(html(a.app())).append("</a></td>");
            counts(h, a.requests(), a.decisions());
            num(h, "bypasses", a.bypassAttempts());
            time(h, a.lastSeenMillis());
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void section(int index, AppReport a, AppColours colours, StringBuilder h) {
        h.append("<section class=\"app\" id=\"app-").append(index).append("\" data-app=\"").append(html(a.app())).append("\">\n")
                .append("<h2>").append(HtmlChart.swatch(colours.of(a.app()))).append("App: ").append(html(a.app())).append("</h2>\n")
                .append("<p><span class=\"requests\">").append(a.requests()).append("</span> requests (")
                .append(html(a.decisions().isEmpty() ? "none" : a.decisions().entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))))
                .append("), up ").append(html(ReportText.bytes(a.bytesUp()))).append(", down ")
                .append(html(ReportText.bytes(a.bytesDown()))).append(", ").append(html(ReportText.time(a.firstSeenMillis())))
                .append(" .. ").append(html(ReportText.time(a.lastSeenMillis()))).append("</p>\n");
        if (!a.instrumentedClients().isEmpty()) {
            h.append("<p>Instrumented clients: ").append(html(String.join(", ", a.instrumentedClients()))).append("</p>\n");
        }
        if (!a.instrumentationFailures().isEmpty()) {
            h.append("<div class=\"bypasses instrumentation-errors\">\n<h3>&#9888; Error: the agent could not instrument ")
                    .append("these clients (only its socket fence stands)</h3>\n<ul>\n");
            for (InstrumentationFailure f : a.instrumentationFailures()) {
                h.append("<li><b>").append(html(f.client())).append("</b>: no ").append(html(f.hook())).append("</li>\n");
            }
            h.append("</ul>\n</div>\n");
        }
        String identity = ReportText.identity(a);
        if (identity != null) {
            h.append("<p class=\"identity\">Identity: ").append(html(identity)).append("</p>\n");
        }
        String credentials = ReportText.credentials(a);
        if (credentials != null) {
            h.append("<p class=\"credentials\">Credentials: ").append(html(credentials)).append("</p>\n");
        }
        if (!a.bypasses().isEmpty()) {
            h.append("<div class=\"bypasses\">\n<h3>&#9888; Bypass attempts caught by the agent: <span class=\"bypass-count\">")
                    .append(a.bypassAttempts()).append("</span></h3>\n")
                    .append("<table><tr><th>Action</th><th>Destination</th><th>Count</th><th>Frame</th><th>API</th><th>Last seen</th></tr>\n");
            for (BypassReport b : a.bypasses()) {
                h.append("<tr class=\"").append(b.blocked() ? "blocked" : "tunneled").append("\"><td>")
                        .append(b.blocked() ? "blocked" : "tunneled").append("</td><td class=\"dest\">").append(html(b.destination())).append("</td>");
                num(h, "count", b.count());
                h.append("<td class=\"wrap\">").append(html(b.frame())).append("</td><td class=\"wrap\">").append(html(b.client())).append("</td>");
                time(h, b.lastSeenMillis());
                h.append("</tr>\n");
            }
            h.append("</table>\n</div>\n");
        }
        if (a.destinations().isEmpty()) {
            h.append("<p>No requests.</p>\n</section>\n");
            return;
        }
        h.append("<table class=\"destinations\">\n<tr><th>Destination</th><th>Requests</th><th>Injected</th><th>Passthrough</th>")
                .append("<th>Tunnel</th><th>Denied</th><th>Error</th><th>Statuses</th><th>Up</th><th>Down</th>")
                .append("<th>First seen</th><th>Last seen</th><th>Secrets (names)</th></tr>\n");
        for (DestinationReport d : a.destinations()) {
            h.append("<tr><td class=\"dest\">").append(html(d.destination())).append("</td>");
            counts(h, d.requests(), d.decisions());
            h.append("<td class=\"wrap\">").append(html(d.statuses().entrySet().stream()
                            .map(e -> (e.getKey().equals("0") ? "none" : e.getKey()) + ": " + e.getValue())
                            .collect(Collectors.joining(", "))))
                    .append("</td><td class=\"num\">").append(html(ReportText.bytes(d.bytesUp())))
                    .append("</td><td class=\"num\">").append(html(ReportText.bytes(d.bytesDown())))
                    .append("</td>");
            time(h, d.firstSeenMillis());
            time(h, d.lastSeenMillis());
            h.append("<td class=\"wrap\">").append(html(d.secretNames().isEmpty() ? "-" : String.join(", ", d.secretNames()))).append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n");
    }

    /** The requests cell and one cell per decision, in {@link Decision} order. */
    private static void counts(StringBuilder h, long requests, Map<String, Long> decisions) {
        num(h, "requests", requests);
        for (Decision d : Decision.values()) {
            num(h, d.wireName(), decisions.getOrDefault(d.wireName(), 0L));
        }
    }

    private static void time(StringBuilder h, long millis) {
        h.append("<td class=\"time\">").append(html(ReportText.time(millis))).append("</td>");
    }

    private static void num(StringBuilder h, String column, long value) {
        h.append("<td class=\"num\" data-col=\"").append(column).append("\">").append(value).append("</td>");
    }
}
