package io.credproxy.daemon.cli;

import ch.qos.logback.classic.Level;
import io.credproxy.daemon.logging.LogFormat;
import io.credproxy.daemon.logging.LogSetup;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --log-format} and {@code --log-level}, for the verbs that run for long ({@code daemon}).
 *
 * <p>Applied before anything else logs. Under systemd, lines get journald priority prefixes
 * whatever the format (see {@link io.credproxy.daemon.logging.JournalStream}).
 */
final class LoggingOptions {
    @Option(names = "--log-format", paramLabel = "FORMAT", converter = FormatConverter.class, defaultValue = "text",
            description = "text (default) or json: one JSON object a line (timestamp, level, logger, formattedMessage, ...)")
    LogFormat format = LogFormat.TEXT;

    @Option(names = "--log-level", paramLabel = "LEVEL", converter = LevelConverter.class,
            description = "error, warn, info (default), debug or trace, for credproxy's own loggers "
                    + "(the same as -Dcredproxy.log.level=LEVEL)")
    Level level;

    /** Reconfigures logging; says so on {@code err} when a custom Logback configuration left nothing to change. */
    void apply(PrintWriter err) {
        if (!LogSetup.apply(format, level, System.getenv()) && format != LogFormat.TEXT) {
            err.println("credproxy: warning: --log-format " + format.name().toLowerCase(Locale.ROOT)
                    + " not applied: the Logback configuration in use has no STDERR console appender");
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            try {
                return LogFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class LevelConverter implements CommandLine.ITypeConverter<Level> {
        private static final Map<String, Level> LEVELS = Map.of("error", Level.ERROR, "warn", Level.WARN,
                "info", Level.INFO, "debug", Level.DEBUG, "trace", Level.TRACE);

        @Override
        public Level convert(String value) {
            Level level = LEVELS.get(value.trim().toLowerCase(Locale.ROOT));
            if (level == null) {
                throw new CommandLine.TypeConversionException("log level must be error, warn, info, debug or trace, not '" + value + "'");
            }
            return level;
        }
    }
}
