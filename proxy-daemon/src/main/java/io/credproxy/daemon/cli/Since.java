package io.credproxy.daemon.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --since} of {@code credproxy report}: a span back from now ({@code 90s}, {@code 15m},
 * {@code 1h}, {@code 7d}, {@code 2w}) or an ISO-8601 instant ({@code 2026-01-01T10:00:00Z}).
 */
public record Since(Duration ago, Instant at) {
    private static final Pattern SPAN = Pattern.compile("(\\d{1,9})([smhdw])");

    /**
     * Parses the option's value.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Since parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SPAN.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            if (n == 0) {
                throw new IllegalArgumentException("--since must be more than zero: " + text);
            }
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return new Since(d, null);
        }
        try {
            return new Since(null, Instant.parse(text.trim()));
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("--since expects a span such as 30m, 1h, 7d or an instant such as "
                    + "2026-01-01T10:00:00Z, not '" + text + "'");
        }
    }

    /** The start time in epoch milliseconds. */
    public long toMillis(Clock clock) {
        return at != null ? at.toEpochMilli() : clock.millis() - ago.toMillis();
    }
}
