package io.credproxy.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.time.ZoneId;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log-format}, {@code --log-level} and the journald priority prefix to the
 * logging that {@link DaemonLogConfigurator} set up.
 *
 * <p>It swaps the encoder of the {@value #APPENDER} appender and sets the level of the
 * {@code io.credproxy} loggers; everything else (Netty at WARN, the root logger) stays as set up. An operator who brings a Logback configuration of their own
 * ({@code -Dlogback.configurationFile}) without that appender keeps it untouched.
 */
public final class LogSetup {
    static final String APPENDER = "STDERR";
    static final String PROJECT_LOGGER = "io.credproxy";

    private LogSetup() {}

    /**
     * Reconfigures the running Logback.
     *
     * @param level the level for the {@code io.credproxy} loggers, or {@code null} to keep the configured one
     * @param environment the process environment ({@code JOURNAL_STREAM})
     * @return false when there was no {@value #APPENDER} appender to change (a custom configuration)
     */
    public static boolean apply(LogFormat format, Level level, Map<String, String> environment) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return false;
        }
        if (level != null) {
            context.getLogger(PROJECT_LOGGER).setLevel(level);
        }
        Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER);
        if (!(appender instanceof ConsoleAppender<ILoggingEvent> console)) {
            return false;
        }
        Encoder<ILoggingEvent> encoder = encoder(context, format, JournalStream.isStderr(environment));
        // The appender writes under its own lock; stopping it while the encoder is swapped keeps a
        // line that is being written from mixing two encoders.
        console.stop();
        console.setEncoder(encoder);
        console.start();
        return true;
    }

    /**
     * Stops the logging context: asynchronous appenders (the access log) write what they still
     * hold, for up to their {@code maxFlushTime}. For the daemon's last step at exit.
     */
    public static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            // The queued lines first, while the appender they go to still runs: the context stops
            // the root logger's appenders (stderr) before those of the loggers below it.
            for (Logger logger : context.getLoggerList()) {
                for (java.util.Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                    if (it.next() instanceof TickingAsyncAppender ticking) {
                        ticking.stop();
                    }
                }
            }
            context.stop();
        }
    }

    /** The encoder for a format, with the journald prefix when stderr is the journal. */
    static Encoder<ILoggingEvent> encoder(LoggerContext context, LogFormat format, boolean journal) {
        Encoder<ILoggingEvent> encoder = format == LogFormat.JSON ? json() : text(context, journal);
        encoder.setContext(context);
        if (journal) {
            encoder = new JournalPriorityEncoder(encoder);
            encoder.setContext(context);
        }
        encoder.start();
        return encoder;
    }

    /**
     * The text layout ({@link TextLayout}), its message escaped as everywhere in the daemon; under
     * journald without the time, which the journal records itself.
     */
    private static Encoder<ILoggingEvent> text(LoggerContext context, boolean journal) {
        TextLayout layout = new TextLayout(journal ? null : ZoneId.systemDefault());
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setLayout(layout);
        return encoder;
    }

    /**
     * One JSON object a line: timestamp (epoch milliseconds), level, thread, logger, the formatted
     * message, SLF4J key-value pairs ({@code kvpList}), and a thrown exception's class, message and
     * frames. Left out: Logback's context block and sequence numbers (the same on every line), the
     * MDC (the daemon sets none), and the message's raw pattern and arguments (the formatted
     * message already holds them).
     */
    private static Encoder<ILoggingEvent> json() {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setWithMDC(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        return encoder;
    }
}
