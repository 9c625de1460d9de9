package io.credproxy.daemon.report;

import io.credproxy.protocol.report.AppReport;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;

/** Formatting shared by the table and HTML reports: times, byte sizes, safe text. */
final class ReportText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ReportText() {}

    /** A UTC time such as {@code 2026-01-01 10:00:00Z}; {@code -} for 0 (never). */
    static String time(long millis) {
        return millis <= 0 ? "-" : TIME.format(Instant.ofEpochMilli(millis));
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 3.2 MiB}, ... */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /**
     * Text from a semi-trusted process made safe for a terminal: control characters (which could
     * carry escape sequences that rewrite the screen) become {@code ?}.
     */
    static String clean(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean bad = Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT; // bidi overrides could reorder a line
            if (bad && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(bad ? '?' : c);
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * The identity line of an app, {@code uid 1001 (kernel); claimed tito (3)}; {@code null} when the
     * report has no identity facts for it (the daemon does not identify peers).
     */
    static String identity(AppReport a) {
        if (a.uids().isEmpty() && a.claimedApps().isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        out.append(a.uids().isEmpty() ? "no uid the kernel vouched for"
                : "uid " + a.uids().stream().map(String::valueOf).collect(Collectors.joining(", ")) + " (kernel)");
        if (!a.claimedApps().isEmpty()) {
            out.append("; claimed ").append(a.claimedApps().entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", ")));
        }
        return out.toString();
    }

    /** The credentials line of an app, {@code used A, B; refused C}; {@code null} when it has neither. */
    static String credentials(AppReport a) {
        if (a.secretNamesUsed().isEmpty() && a.secretNamesRefused().isEmpty()) {
            return null;
        }
        return "used " + (a.secretNamesUsed().isEmpty() ? "none" : String.join(", ", a.secretNamesUsed()))
                + "; refused " + (a.secretNamesRefused().isEmpty() ? "none" : String.join(", ", a.secretNamesRefused()));
    }

    /** Text escaped for HTML element content and quoted attribute values. */
    static String html(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(Character.isISOControl(c) ? '?' : c);
            }
        }
        return out.toString();
    }
}
