package io.credproxy.daemon.report;

import static io.credproxy.daemon.report.ReportText.html;

import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.BypassReport;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.report.DestinationReport;
import io.credproxy.protocol.report.InstrumentationFailure;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.report.Timeline;
import io.credproxy.protocol.report.TimelineBucket;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    static final String[] PALETTE = {"#3366cc", "#dc7633", "#2e9e5b", "#8e44ad", "#c0392b", "#16a0a0", "#888888"};
    private static final int MAX_SERIES = PALETTE.length - 1;
    private static final int WIDTH = 960;
    private static final int HEIGHT = 260;
    private static final int LEFT = 60;
    private static final int RIGHT = 12;
    private static final int TOP = 14;
    private static final int BOTTOM = 42;

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;background:#fff}
            h1{font-size:1.5em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 8px}h3{font-size:1em;margin:12px 0 6px}
            .meta{color:#555;margin:0 0 16px}
            table{border-collapse:collapse;margin:6px 0 12px;font-size:.9em}
            th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f3f3f3}td{white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums}
            section.app{border-top:2px solid #ddd;margin-top:24px}
            .bypasses{background:#fdecea;border:2px solid #c0392b;padding:6px 12px;margin:8px 0}
            .bypasses h3{color:#a93226}tr.blocked td{background:#f9d6d2}
            .legend span{display:inline-block;margin-right:16px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
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
        h.append("<h2>Requests over time</h2>\n");
        chart(report, h);
        h.append("<h2>Apps</h2>\n");
        overview(report, h);
        for (int i = 0; i < report.apps().size(); i++) {
            section(i, report.apps().get(i), h);
        }
        h.append("</body>\n</html>\n");
        out.write(h.toString());
    }

    private static void overview(Report report, StringBuilder h) {
        if (report.apps().isEmpty()) {
            h.append("<p>No requests or agent events recorded.</p>\n");
            return;
        }
        h.append("<table id=\"overview\">\n<tr><th>App</th><th>Requests</th><th>Injected</th><th>Passthrough</th>")
                .append("<th>Tunnel</th><th>Denied</th><th>Error</th><th>Bypass attempts</th><th>Last seen</th></tr>\n");
        for (int i = 0; i < report.apps().size(); i++) {
            AppReport a = report.apps().get(i);
            h.append("<tr").append(a.bypassAttempts() > 0 ? " class=\"blocked\"" : "").append("><td><a href=\"#app-").append(i)
                    .append("\">").append(html(a.app())).append("</a></td>");
            counts(h, a.requests(), a.decisions());
            num(h, "bypasses", a.bypassAttempts());
            h.append("<td>").append(html(ReportText.time(a.lastSeenMillis()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void section(int index, AppReport a, StringBuilder h) {
        h.append("<section class=\"app\" id=\"app-").append(index).append("\" data-app=\"").append(html(a.app())).append("\">\n")
                .append("<h2>App: ").append(html(a.app())).append("</h2>\n")
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
        if (!a.bypasses().isEmpty()) {
            h.append("<div class=\"bypasses\">\n<h3>&#9888; Bypass attempts caught by the agent: <span class=\"bypass-count\">")
                    .append(a.bypassAttempts()).append("</span></h3>\n")
                    .append("<table><tr><th>Action</th><th>Destination</th><th>Count</th><th>Frame</th><th>API</th><th>Last seen</th></tr>\n");
            for (BypassReport b : a.bypasses()) {
                h.append("<tr class=\"").append(b.blocked() ? "blocked" : "tunneled").append("\"><td>")
                        .append(b.blocked() ? "blocked" : "tunneled").append("</td><td>").append(html(b.destination())).append("</td>");
                num(h, "count", b.count());
                h.append("<td>").append(html(b.frame())).append("</td><td>").append(html(b.client())).append("</td><td>")
                        .append(html(ReportText.time(b.lastSeenMillis()))).append("</td></tr>\n");
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
            h.append("<td>").append(html(d.statuses().entrySet().stream()
                            .map(e -> (e.getKey().equals("0") ? "none" : e.getKey()) + ": " + e.getValue())
                            .collect(Collectors.joining(", "))))
                    .append("</td><td class=\"num\">").append(html(ReportText.bytes(d.bytesUp())))
                    .append("</td><td class=\"num\">").append(html(ReportText.bytes(d.bytesDown())))
                    .append("</td><td>").append(html(ReportText.time(d.firstSeenMillis())))
                    .append("</td><td>").append(html(ReportText.time(d.lastSeenMillis())))
                    .append("</td><td>").append(html(d.secretNames().isEmpty() ? "-" : String.join(", ", d.secretNames())))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n");
    }

    /** A stacked bar per time bucket, one colour per app (the busiest six, the rest together). */
    private static void chart(Report report, StringBuilder h) {
        Timeline timeline = report.timeline();
        if (timeline.buckets().isEmpty() || timeline.bucketMillis() <= 0) {
            h.append("<p>No requests in this period.</p>\n");
            return;
        }
        List<String> series = new ArrayList<>();
        for (AppReport a : report.apps()) {
            if (a.requests() > 0 && series.size() < MAX_SERIES) {
                series.add(a.app());
            }
        }
        String rest = "other apps";
        List<TimelineBucket> buckets = timeline.buckets();
        long width = timeline.bucketMillis();
        long first = buckets.get(0).startMillis();
        long last = buckets.get(buckets.size() - 1).startMillis();
        long slots = (last - first) / width + 1;
        long max = buckets.stream().mapToLong(TimelineBucket::total).max().orElse(1);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double barW = plotW / slots;
        double gap = barW > 4 ? 1 : 0;
        double scale = plotH / Math.max(1, max);
        h.append("<svg id=\"chart\" role=\"img\" aria-label=\"requests over time\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\">\n");
        h.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" fill=\"#ffffff\"/>\n");
        boolean usedRest = false;
        for (TimelineBucket b : buckets) {
            Map<String, Long> stack = new LinkedHashMap<>();
            for (String app : series) {
                stack.put(app, b.requestsByApp().getOrDefault(app, 0L));
            }
            long others = b.requestsByApp().entrySet().stream().filter(e -> !series.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
            stack.put(rest, others);
            double x = LEFT + (b.startMillis() - first) / (double) width * barW;
            double y = TOP + plotH;
            int colour = 0;
            for (Map.Entry<String, Long> e : stack.entrySet()) {
                int c = e.getKey().equals(rest) ? PALETTE.length - 1 : colour;
                colour++;
                if (e.getValue() == 0) {
                    continue;
                }
                usedRest |= e.getKey().equals(rest);
                double barH = e.getValue() * scale;
                y -= barH;
                h.append(String.format(Locale.ROOT,
                        "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"><title>",
                        x, y, Math.max(0.5, barW - gap), barH, PALETTE[c]));
                h.append(html(e.getKey())).append(": ").append(e.getValue()).append(" requests from ")
                        .append(html(ReportText.time(b.startMillis()))).append("</title></rect>\n");
            }
        }
        // Axes and labels.
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n",
                LEFT, TOP, LEFT, TOP + (int) plotH));
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n",
                LEFT, TOP + (int) plotH, WIDTH - RIGHT, TOP + (int) plotH));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>%n", LEFT - 6, TOP + 10, max));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n", LEFT - 6, TOP + (int) plotH));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">", LEFT, HEIGHT - 22)).append(html(ReportText.time(first)))
                .append("</text>\n");
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", WIDTH - RIGHT, HEIGHT - 22))
                .append(html(ReportText.time(last + width))).append("</text>\n");
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">requests per %s</text>%n",
                LEFT + (int) plotW / 2, HEIGHT - 6, html(duration(width))));
        h.append("</svg>\n<p class=\"legend\">");
        for (int i = 0; i < series.size(); i++) {
            legend(h, PALETTE[i], series.get(i));
        }
        if (usedRest) {
            legend(h, PALETTE[PALETTE.length - 1], rest);
        }
        h.append("</p>\n");
    }

    private static void legend(StringBuilder h, String colour, String name) {
        h.append("<span><i style=\"background:").append(colour).append("\"></i>").append(html(name)).append("</span>");
    }

    /** The requests cell and one cell per decision, in {@link Decision} order. */
    private static void counts(StringBuilder h, long requests, Map<String, Long> decisions) {
        num(h, "requests", requests);
        for (Decision d : Decision.values()) {
            num(h, d.wireName(), decisions.getOrDefault(d.wireName(), 0L));
        }
    }

    private static void num(StringBuilder h, String column, long value) {
        h.append("<td class=\"num\" data-col=\"").append(column).append("\">").append(value).append("</td>");
    }

    /** A bucket width in words: {@code 1 s}, {@code 8 min}, {@code 4.3 h}, {@code 2.8 d}. */
    static String duration(long millis) {
        double s = millis / 1000.0;
        if (s < 120) {
            return String.format(Locale.ROOT, "%.0f s", s);
        }
        if (s < 7200) {
            return String.format(Locale.ROOT, "%.0f min", s / 60);
        }
        if (s < 172_800) {
            return String.format(Locale.ROOT, "%.1f h", s / 3600);
        }
        return String.format(Locale.ROOT, "%.1f d", s / 86_400);
    }
}
