package io.credproxy.daemon.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link TextLayout} against what it replaces: Logback's {@code PatternLayout} with the daemon's
 * patterns and its {@code %msg} escaped, fed the same events, must give the same text, byte for byte.
 * The daemon itself no longer loads {@code PatternLayout}; only this test does.
 */
class TextLayoutTest {
    /** The patterns LogSetup gave PatternLayout before TextLayout, copied here so that they cannot drift. */
    private static final String OLD_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n";
    private static final String OLD_JOURNAL_PATTERN = "%-5level %logger{0} - %msg%n";
    private static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns",
            "Pacific/Chatham", "America/Los_Angeles", "Pacific/Kiritimati", "Africa/Monrovia", "Europe/Amsterdam",
            "-00:00:30", "+00:00:59", "-00:01:15", "+05:45:17");
    private static final List<Level> LEVELS = List.of(Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR);
    private static final List<String> LOGGERS = List.of("io.credproxy.access", "io.credproxy.daemon.cli.Daemon", "Daemon",
            "ROOT", "a.b.", ".leading", "io.credproxy.Outer$Inner");

    private final LoggerContext context = new LoggerContext();

    /** The layout the daemon had: the pattern, {@code %msg} escaped; {@code zone} null for the default. */
    private PatternLayout reference(String pattern, String zone) {
        PatternLayout layout = new PatternLayout();
        layout.getInstanceConverterMap().put("msg", () -> new MessageConverter() {
            @Override
            public String convert(ILoggingEvent event) {
                return LogText.escape(event.getFormattedMessage());
            }
        });
        layout.setPattern(zone == null ? pattern : pattern.replace("XXX}", "XXX, " + zone + "}"));
        layout.setContext(context);
        layout.start();
        assertThat(layout.isStarted()).as(layout.getPattern()).isTrue();
        return layout;
    }

    private TextLayout layout(ZoneId zone) {
        TextLayout layout = new TextLayout(zone);
        layout.setContext(context);
        layout.start();
        return layout;
    }

    private LoggingEvent event(String logger, Level level, long millis, String message, Throwable thrown, Object... args) {
        LoggingEvent e = new LoggingEvent("test", context.getLogger(logger), level, message, thrown, args);
        e.setTimeStamp(millis);
        return e;
    }

    private static long millis(int year, int month, int day, int hour, int minute, int second, int ms) {
        return LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC) * 1000 + ms;
    }

    /** Instants that test the date's fields, the offsets' changes and the formatter's cache. */
    private static List<Long> instants() {
        List<Long> out = new ArrayList<>(List.of(0L, -1L, 999L, 1000L, 1001L, 999L, // back into a second already left
                millis(2026, 12, 2, 10, 15, 30, 123), millis(2026, 12, 2, 10, 15, 30, 7), millis(2026, 12, 2, 10, 15, 31, 0),
                millis(2026, 3, 29, 0, 59, 59, 999), millis(2026, 3, 29, 1, 0, 0, 0), // Berlin springs forward at 01:00Z
                millis(2026, 10, 25, 0, 59, 59, 999), millis(2026, 10, 25, 1, 0, 0, 1), // and falls back
                millis(2026, 4, 5, 13, 59, 59, 999), millis(2026, 4, 5, 14, 0, 0, 0), // Chatham's end of DST
                millis(1930, 6, 1, 12, 0, 0, 5), // Amsterdam at +00:19:32, Monrovia at -00:44:30
                millis(1880, 1, 1, 0, 0, 0, 0), // local mean times everywhere
                millis(2024, 2, 29, 23, 59, 59, 999), millis(2099, 12, 31, 23, 59, 59, 999),
                millis(500, 7, 4, 1, 2, 3, 4), millis(1, 1, 1, 0, 0, 0, 0), millis(0, 12, 31, 23, 0, 0, 0), // 1 BC
                millis(-99, 3, 1, 0, 0, 0, 0), millis(9999, 12, 31, 23, 59, 59, 999), millis(10000, 1, 1, 0, 0, 0, 0),
                millis(123456, 5, 6, 7, 8, 9, 10)));
        out.add(System.currentTimeMillis());
        return out;
    }

    @Test
    void theTimestampIsTheFormattersInEveryZoneAndAtEveryInstant() {
        int compared = 0;
        for (String zone : ZONES) {
            PatternLayout expected = reference(OLD_PATTERN, zone);
            TextLayout actual = layout(ZoneId.of(zone)); // one layout per zone: its cache sees every instant in turn
            for (long t : instants()) {
                ILoggingEvent e = event("io.credproxy.access", Level.INFO, t, "ok", null);
                assertThat(actual.doLayout(e)).as("%s at %d", zone, t).isEqualTo(expected.doLayout(e));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(ZONES.size() * instants().size());
        // Not the same text everywhere: the zones do reach the line.
        ILoggingEvent e = event("x", Level.INFO, millis(2026, 12, 2, 10, 15, 30, 123), "ok", null);
        assertThat(layout(ZoneId.of("UTC")).doLayout(e)).isEqualTo("2026-12-02T10:15:30.123Z INFO  x - ok\n");
        assertThat(layout(ZoneId.of("Europe/Berlin")).doLayout(e)).isEqualTo("2026-12-02T11:15:30.123+01:00 INFO  x - ok\n");
        assertThat(layout(ZoneId.of("America/St_Johns")).doLayout(e)).isEqualTo("2026-12-02T06:45:30.123-03:30 INFO  x - ok\n");
    }

    /** Messages a client can fill: controls, line breaks, colour sequences, invisible and right-to-left characters. */
    private static List<Object[]> messages() {
        return List.of(
                new Object[] {"credproxy started: proxy on 127.0.0.1:3128, admin on 127.0.0.1:18081"},
                new Object[] {"refused {} for {} ({}%)", "api.example", "app", 42},
                new Object[] {"{} unmatched {} placeholders and a \\{} escaped one", "one"},
                new Object[] {"a line\nFAKE 2026-12-02T10:15:30.123Z ERROR Daemon - forged\r\n"},
                new Object[] {"colour \u001b[31mred\u001b[0m bell\u0007 nul\u0000 del\u007f c1\u0085\u009b tab\t"},
                new Object[] {"host {}", "evil\u001b[2J\r\nFAKE.example"},
                new Object[] {"caf\u00e9 \u6771\u4eac \ud83d\ude00 evil\u202egnp.exe zero\u200bwidth \ufeff \u2028\u2029 lone \ud800 x"},
                new Object[] {"already escaped \\x1b stays, % and %n and %d{} are not patterns"},
                new Object[] {""},
                new Object[] {null});
    }

    @Test
    void levelsLoggersAndMessagesAreWrittenAsBeforeWithAndWithoutTheTime() {
        ZoneId zone = ZoneId.of("Asia/Kolkata");
        List<TextLayout> actual = List.of(layout(zone), layout(null));
        List<PatternLayout> expected = List.of(reference(OLD_PATTERN, zone.getId()), reference(OLD_JOURNAL_PATTERN, null));
        long t = millis(2026, 12, 2, 10, 15, 30, 123);
        int compared = 0;
        for (int variant = 0; variant < 2; variant++) {
            for (Level level : LEVELS) {
                for (String logger : LOGGERS) {
                    for (Object[] m : messages()) {
                        Object[] args = Arrays.copyOfRange(m, 1, m.length);
                        ILoggingEvent e = event(logger, level, t++, (String) m[0], null, args);
                        assertThat(actual.get(variant).doLayout(e)).as("%s %s %s", level, logger, m[0])
                                .isEqualTo(expected.get(variant).doLayout(e));
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(2 * LEVELS.size() * LOGGERS.size() * messages().size());
        // The cases do what they are named for: a message escaped, a level padded, a name cut.
        ILoggingEvent e = event("io.credproxy.access", Level.WARN, 0, "a\nb\u001b", null);
        assertThat(actual.get(1).doLayout(e)).isEqualTo("WARN  access - a\\x0ab\\x1b\n");
    }

    /** Messages without a character to escape: there the two layouts agree byte for byte. */
    private static Throwable nested() {
        IllegalStateException cause = new IllegalStateException("root cause with: a colon");
        RuntimeException top = new RuntimeException("wrapped, with \u00e9 and \u4e2d", cause);
        top.addSuppressed(new IOException("suppressed one", new ArithmeticException("inner")));
        return top;
    }

    private static Throwable cyclic() {
        IllegalArgumentException a = new IllegalArgumentException("a");
        IllegalStateException b = new IllegalStateException("b", a);
        a.initCause(b);
        return a;
    }

    @Test
    void aThrownExceptionFollowsTheLineAsPatternLayoutAppendsIt() {
        List<Throwable> thrown = List.of(new IllegalStateException("boom"), nested(), cyclic(), new NullPointerException(),
                new Error(new Exception("only a cause")));
        ZoneId zone = ZoneId.of("Europe/Berlin");
        int compared = 0;
        for (boolean packagingData : List.of(false, true)) {
            context.setPackagingDataEnabled(packagingData); // an operator's setting; then Logback adds the jars
            List<TextLayout> actual = List.of(layout(zone), layout(null));
            List<PatternLayout> expected = List.of(reference(OLD_PATTERN, zone.getId()), reference(OLD_JOURNAL_PATTERN, null));
            for (int variant = 0; variant < 2; variant++) {
                for (Throwable t : thrown) {
                    ILoggingEvent e = event("io.credproxy.daemon.server.ProxyServer", Level.ERROR, 1_000_000, "failed {}", t, "x\u001b");
                    String line = actual.get(variant).doLayout(e);
                    assertThat(line).as("%s %s", packagingData, t).isEqualTo(expected.get(variant).doLayout(e));
                    assertThat(line.lines().count()).as("the trace follows the line").isGreaterThan(2);
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(2 * 2 * thrown.size());
    }

    /** What a client could put in an exception's message: a line of its own making, a terminal escape. */
    private static Throwable hostile() {
        IllegalStateException cause = new IllegalStateException("cause\r\n2026-01-01T00:00:00.000Z ERROR Daemon - forged cause");
        RuntimeException top = new RuntimeException("bad request line: GET /\n2026-01-01T00:00:00.000Z INFO  access - forged\u001b[2J", cause);
        top.addSuppressed(new IOException("suppressed\u2028\u202eline", new ArithmeticException("inner\u0085")));
        return top;
    }

    /** Every line a trace may have after the log line: an exception's first line, a frame, "... n more", a cause, a suppressed one. */
    private static final Pattern TRACE_LINE = Pattern.compile(
            "\t*(at .*|\\.\\.\\. \\d+ (common frames omitted|more)|\\[CIRCULAR REFERENCE.*|(Caused by: |Suppressed: )?[\\w$.]+(: .*)?)");

    @Test
    void theMessagesOfAThrownExceptionAreEscapedLikeTheLines() {
        Throwable t = hostile();
        for (TextLayout layout : List.of(layout(ZoneOffset.UTC), layout(null))) {
            String text = layout.doLayout(event("io.credproxy.daemon.server.ProxyServer", Level.WARN, 0, "failed", t));
            List<String> lines = text.lines().toList();
            assertThat(lines.get(0)).endsWith("WARN  ProxyServer - failed");
            for (String line : lines.subList(1, lines.size())) {
                assertThat(line).as("a line of the trace").matches(TRACE_LINE).doesNotContain("\u001b");
            }
            assertThat(text).contains("java.lang.RuntimeException: bad request line: GET /\\x0a2026-01-01T00:00:00.000Z INFO  access - forged\\x1b[2J")
                    .contains("Caused by: java.lang.IllegalStateException: cause\\x0d\\x0a2026-01-01T00:00:00.000Z ERROR Daemon - forged cause")
                    .contains("Suppressed: java.io.IOException: suppressed\\u2028\\u202eline")
                    .contains("Caused by: java.lang.ArithmeticException: inner\\x85")
                    .doesNotContain("\r").doesNotContain("\u2028").doesNotContain("\u202e").doesNotContain("\u0085");
            // Only the messages changed: the trace has as many lines as PatternLayout's, less the line breaks the messages held.
            String old = reference(OLD_JOURNAL_PATTERN, null).doLayout(event("io.credproxy.daemon.server.ProxyServer", Level.WARN, 0, "failed", t));
            assertThat(old.lines().filter(l -> !TRACE_LINE.matcher(l).matches()).count()).as("the old layout let the lines through").isPositive();
            assertThat(lines).hasSize((int) old.lines().count() - 2); // the LF and the CR LF; lines() breaks at neither U+2028 nor U+0085
        }
    }

    @Test
    void logSetupsEncoderWritesTheBytesTheOldEncoderWroteInTheDefaultZone() {
        TimeZone before = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns")); // not this machine's UTC: the zone must reach the line
        try {
            for (boolean journal : List.of(false, true)) {
                Encoder<ILoggingEvent> actual = LogSetup.encoder(context, LogFormat.TEXT, journal);
                LayoutWrappingEncoder<ILoggingEvent> old = new LayoutWrappingEncoder<>();
                old.setLayout(reference(journal ? OLD_JOURNAL_PATTERN : OLD_PATTERN, null));
                Encoder<ILoggingEvent> expected = journal ? new JournalPriorityEncoder(old) : old;
                expected.setContext(context);
                expected.start();
                for (ILoggingEvent e : List.of(event("io.credproxy.access", Level.INFO, millis(2026, 7, 1, 0, 0, 0, 9), "ok \u001b", null),
                        event("Daemon", Level.ERROR, System.currentTimeMillis(), "failed", nested()))) {
                    assertThat(actual.encode(e)).as("journal %s: %s", journal, e).isEqualTo(expected.encode(e));
                }
                assertThat(actual.headerBytes()).isEqualTo(expected.headerBytes());
                assertThat(actual.footerBytes()).isEqualTo(expected.footerBytes());
            }
            ILoggingEvent e = event("x", Level.INFO, millis(2026, 7, 1, 0, 0, 0, 9), "ok", null);
            assertThat(new String(LogSetup.encoder(context, LogFormat.TEXT, false).encode(e)))
                    .isEqualTo("2026-06-30T21:30:00.009-02:30 INFO  x - ok\n");
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void thePatternsItDocumentsAreTheOldOnes() {
        assertThat(TextLayout.PATTERN).isEqualTo(OLD_PATTERN);
        assertThat(TextLayout.JOURNAL_PATTERN).isEqualTo(OLD_JOURNAL_PATTERN);
    }

    @Test
    void aLayoutNotStartedWritesNothingAsPatternLayout() {
        ILoggingEvent e = event("x", Level.INFO, 0, "ok", null);
        assertThat(new TextLayout(ZoneOffset.UTC).doLayout(e)).isEqualTo(new PatternLayout().doLayout(e)).isEqualTo("");
    }
}
