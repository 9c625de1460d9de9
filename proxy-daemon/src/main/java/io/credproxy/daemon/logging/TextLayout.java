package io.credproxy.daemon.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.util.CachingDateFormatter;
import java.time.ZoneId;

/**
 * The daemon's text log line, the same bytes as Logback's {@code PatternLayout} with
 * {@value #PATTERN} ({@code %msg} escaped by {@link LogText#escape}), or without the
 * {@code %d{...} } under journald, which records the time itself.
 *
 * <p>Why not {@code PatternLayout}: its pattern parser, converters and the map of constructor
 * references it fills in a static initialiser are 154 classes (70 of them lambdas) that stay loaded
 * for the life of the daemon, 0.35 MiB of metaspace and 60 KiB of symbols, in a process sized to
 * stay under 96 MiB (docs/BENCHMARKS.md, "Memory"). Four fixed fields need none of that.
 *
 * <p>Kept as {@code PatternLayout} writes them: the level padded to five characters; the logger's
 * name after its last dot ({@code %logger{0}}); a null message as {@code null}; a thrown exception,
 * which the pattern does not name, appended after the line as {@code PatternLayout} appends it by
 * default (its {@code ThrowableProxyConverter}, or with the packaging data when the context collects
 * it: {@link ThrowableProxyUtil#asString} writes both the same way), except that the exceptions'
 * messages are escaped as the line's is ({@link EscapedThrowable}; PatternLayout wrote them raw).
 * TextLayoutTest compares the two layouts byte for byte wherever they should agree.
 */
final class TextLayout extends LayoutBase<ILoggingEvent> {
    /** The time, as {@code DateTimeFormatter} patterns go. */
    static final String TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
    /** What this layout writes, in Logback's pattern language; TextLayoutTest checks the two agree. */
    static final String PATTERN = "%d{" + TIME_FORMAT + "} %-5level %logger{0} - %msg%n";
    /** The same under journald, without the time. */
    static final String JOURNAL_PATTERN = "%-5level %logger{0} - %msg%n";

    private final CachingDateFormatter timestamps;

    /** @param zone the zone of the timestamps, or {@code null} for a line without one (journald) */
    TextLayout(ZoneId zone) {
        // The formatter PatternLayout's %d uses, so the time is the same text by construction.
        // Logback loads it anyway (StatusPrinter2); a formatter written by hand saved no metaspace,
        // the JDK classes it spared being in the CDS archive. The pattern has only numeric fields
        // and an offset: the locale it is given changes nothing and no locale data is read.
        this.timestamps = zone == null ? null : new CachingDateFormatter(TIME_FORMAT, zone);
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        if (!isStarted()) {
            return CoreConstants.EMPTY_STRING; // as PatternLayout
        }
        StringBuilder line = new StringBuilder(256);
        if (timestamps != null) {
            line.append(timestamps.format(event.getTimeStamp())).append(' ');
        }
        String level = event.getLevel().toString();
        line.append(level);
        for (int i = level.length(); i < 5; i++) {
            line.append(' ');
        }
        String logger = event.getLoggerName();
        line.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ");
        line.append(LogText.escape(event.getFormattedMessage())).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(EscapedThrowable.of(thrown)));
        }
        return line.toString();
    }
}
