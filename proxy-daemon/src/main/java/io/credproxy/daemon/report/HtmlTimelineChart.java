package io.credproxy.daemon.report;

import static io.credproxy.daemon.report.ReportText.html;

import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.report.Timeline;
import io.credproxy.protocol.report.TimelineBucket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The HTML report's inline SVG chart of requests over time; every text in it goes through {@link ReportText#html}. */
final class HtmlTimelineChart {
    static final String[] PALETTE = {"#3366cc", "#dc7633", "#2e9e5b", "#8e44ad", "#c0392b", "#16a0a0", "#888888"};
    private static final int MAX_SERIES = PALETTE.length - 1;
    private static final int WIDTH = 960;
    private static final int HEIGHT = 260;
    private static final int LEFT = 60;
    private static final int RIGHT = 12;
    private static final int TOP = 14;
    private static final int BOTTOM = 42;

    private HtmlTimelineChart() {}

    /** A stacked bar per time bucket, one colour per app (the busiest six, the rest together). */
    static void render(Report report, StringBuilder h) {
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
