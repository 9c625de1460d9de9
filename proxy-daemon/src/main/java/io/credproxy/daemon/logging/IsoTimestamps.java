package io.credproxy.daemon.logging;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * Writes an instant as {@code DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")} does in
 * a given zone ({@code 2026-12-02T10:15:30.123Z}, {@code ...+01:00}), for {@link TextLayout}.
 *
 * <p>Why not the formatter: {@code java.time.format} is about 60 classes (the pattern parser and
 * its printers, {@code DecimalStyle}, locale lookups) that nothing else in the daemon loads; the
 * calendar fields of {@code LocalDateTime} and the zone's offset are all this pattern needs. The
 * text up to the seconds and the offset are kept for the current second, as Logback's
 * {@code CachingDateFormatter} keeps a whole line's: a zone's offset changes only at a whole
 * second ({@code ZoneOffsetTransition} counts epoch seconds), so the cache is exact.
 *
 * <p>The formatter's rules kept: {@code yyyy} is the year of the era (1 BC is year 1), at least
 * four digits, with a {@code +} when it has more; {@code XXX} is {@code Z} when the offset's hours
 * and minutes are both zero, otherwise {@code +HH:MM} or {@code -HH:MM} with any seconds of the
 * offset (historic local mean times) left out. TextLayoutTest holds them to the formatter.
 */
final class IsoTimestamps {
    private final ZoneRules rules;
    private volatile Second cached = new Second(Long.MIN_VALUE, "", "");

    IsoTimestamps(ZoneId zone) {
        this.rules = zone.getRules();
    }

    /** Appends {@code epochMillis} in this zone. */
    void append(StringBuilder out, long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        Second second = cached;
        if (second.epochSecond != epochSecond) {
            second = format(epochSecond);
            cached = second; // racing threads compute the same value
        }
        out.append(second.upToSeconds);
        pad(out, millis, 3);
        out.append(second.offset);
    }

    private Second format(long epochSecond) {
        ZoneOffset offset = rules.getOffset(Instant.ofEpochSecond(epochSecond));
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, offset);
        StringBuilder b = new StringBuilder(24);
        int yearOfEra = t.getYear() >= 1 ? t.getYear() : 1 - t.getYear();
        if (yearOfEra > 9999) {
            b.append('+');
        }
        pad(b, yearOfEra, 4);
        b.append('-');
        pad(b, t.getMonthValue(), 2);
        b.append('-');
        pad(b, t.getDayOfMonth(), 2);
        b.append('T');
        pad(b, t.getHour(), 2);
        b.append(':');
        pad(b, t.getMinute(), 2);
        b.append(':');
        pad(b, t.getSecond(), 2);
        b.append('.');
        return new Second(epochSecond, b.toString(), offset(offset.getTotalSeconds()));
    }

    private static String offset(int totalSeconds) {
        int hours = Math.abs(totalSeconds / 3600);
        int minutes = Math.abs(totalSeconds / 60 % 60);
        if (hours == 0 && minutes == 0) {
            return "Z";
        }
        StringBuilder b = new StringBuilder(6).append(totalSeconds < 0 ? '-' : '+');
        pad(b, hours, 2);
        b.append(':');
        pad(b, minutes, 2);
        return b.toString();
    }

    /** Appends {@code value} (not negative) with leading zeros to at least {@code width} digits. */
    private static void pad(StringBuilder out, int value, int width) {
        for (int limit = 10, digits = 1; digits < width; limit *= 10, digits++) {
            if (value < limit) {
                out.append('0');
            }
        }
        out.append(value);
    }

    /** One second's text: all up to and with the {@code .} before the milliseconds, and the offset. */
    private static final class Second {
        final long epochSecond;
        final String upToSeconds;
        final String offset;

        Second(long epochSecond, String upToSeconds, String offset) {
            this.epochSecond = epochSecond;
            this.upToSeconds = upToSeconds;
            this.offset = offset;
        }
    }
}
