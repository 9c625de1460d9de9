package io.credproxy.daemon.cli;

import io.credproxy.daemon.report.ReportFormat;
import io.credproxy.protocol.config.HostPort;
import picocli.CommandLine;

/** The converters of the CLI's options (report, env): a bad value is one line naming the problem, exit 2. */
final class OptionConverters {
    private OptionConverters() {}

    /** Turns a parser's {@link IllegalArgumentException} into a message picocli prints as is (exit 2). */
    abstract static class MessageConverter<T> implements CommandLine.ITypeConverter<T> {
        abstract T parse(String value);

        @Override
        public final T convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --admin}: {@code host:port}. */
    static final class HostPortConverter extends MessageConverter<HostPort> {
        @Override
        HostPort parse(String value) {
            HostPort hp;
            try {
                hp = HostPort.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expected HOST:PORT: " + e.getMessage(), e);
            }
            if (hp.port() == 0) {
                throw new IllegalArgumentException("expected HOST:PORT: port 0 is not an address to connect to");
            }
            return hp;
        }
    }

    /** {@code --since}. */
    static final class SinceConverter extends MessageConverter<Since> {
        @Override
        Since parse(String value) {
            return Since.parse(value);
        }
    }

    /** {@code --format}, any case. */
    static final class FormatConverter extends MessageConverter<ReportFormat> {
        @Override
        ReportFormat parse(String value) {
            return ReportFormat.parse(value);
        }
    }
}
