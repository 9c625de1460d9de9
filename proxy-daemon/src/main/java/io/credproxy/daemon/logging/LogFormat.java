package io.credproxy.daemon.logging;

import java.util.Locale;

/** How log lines are written: {@code text} for people, {@code json} (one object a line) for collectors. */
public enum LogFormat {
    TEXT,
    JSON;

    /**
     * Reads {@code text} or {@code json}, any case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static LogFormat parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("log format must be text or json, not '" + text + "'");
        };
    }
}
