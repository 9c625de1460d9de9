package io.credproxy.daemon.report;

import static io.credproxy.daemon.report.ReportText.html;

import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.report.Timeline;
import io.credproxy.protocol.report.TimelineBucket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML report's chart: an inline SVG with a stacked bar per time bucket, each app in its
 * {@link AppColours} colour (apps without one of their own together, in grey), and its legend.
 */
final class HtmlChart {
    static final int WIDTH = 960;
    private static final int HEIGHT = 260;
    private static final int LEFT = 60;
    private static final int RIGHT = 12;
    private static final int TOP = 14;
    private static final int BOTTOM = 42;
    private static final String REST = "other apps";

    private HtmlChart() {}

    static void render(Report report, AppColours colours, StringBuilder h) {
        Timeline timeline = report.timeline();
        if (timeline.buckets().isEmpty() || timeline.bucketMillis() <= 0) {
            h.append("<p>No requests in this period.</p>\n");
            return;
        }
        List<String> series = new ArrayList<>();
        for (String app : colours.apps()) {
            if (report.apps().stream().anyMatch(a -> a.app().equals(app) && a.requests() > 0)) {
                series.add(app);
            }
        }
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
            stack.put(REST, b.requestsByApp().entrySet().stream().filter(e -> !series.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum());
            double x = LEFT + (b.startMillis() - first) / (double) width * barW;
            double y = TOP + plotH;
            for (Map.Entry<String, Long> e : stack.entrySet()) {
                if (e.getValue() == 0) {
                    continue;
                }
                boolean rest = e.getKey().equals(REST);
                usedRest |= rest;
                double barH = e.getValue() * scale;
                y -= barH;
                h.append(String.format(Locale.ROOT,
                        "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"><title>",
                        x, y, Math.max(0.5, barW - gap), barH, rest ? AppColours.OTHER : colours.of(e.getKey())));
                h.append(html(e.getKey())).append(": ").append(e.getValue()).append(" requests from ")
                        .append(html(ReportText.time(b.startMillis()))).append("</title></rect>\n");
            }
        }
        axes(h, first, last + width, max, plotW, plotH, width);
        h.append("</svg>\n<p class=\"legend\">");
        for (String app : series) {
            legend(h, colours.of(app), app);
        }
        if (usedRest) {
            legend(h, AppColours.OTHER, REST);
        }
        h.append("</p>\n");
    }

    private static void axes(StringBuilder h, long from, long to, long max, double plotW, double plotH, long bucket) {
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n",
                LEFT, TOP, LEFT, TOP + (int) plotH));
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n",
                LEFT, TOP + (int) plotH, WIDTH - RIGHT, TOP + (int) plotH));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>%n", LEFT - 6, TOP + 10, max));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n", LEFT - 6, TOP + (int) plotH));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">", LEFT, HEIGHT - 22)).append(html(ReportText.time(from)))
                .append("</text>\n");
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", WIDTH - RIGHT, HEIGHT - 22))
                .append(html(ReportText.time(to))).append("</text>\n");
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">requests per %s</text>%n",
                LEFT + (int) plotW / 2, HEIGHT - 6, html(duration(bucket))));
    }

    private static void legend(StringBuilder h, String colour, String name) {
        h.append("<span>").append(swatch(colour)).append(html(name)).append("</span>");
    }

    /** A small square in the app's colour, beside its name. */
    static String swatch(String colour) {
        return "<i class=\"swatch\" style=\"background:" + colour + "\"></i>";
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
