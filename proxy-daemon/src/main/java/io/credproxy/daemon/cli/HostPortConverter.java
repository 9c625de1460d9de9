package io.credproxy.daemon.cli;

import io.credproxy.protocol.config.HostPort;
import picocli.CommandLine;

/** Reads {@code HOST:PORT} options ({@code --listen}, {@code --admin}). */
final class HostPortConverter implements CommandLine.ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
        try {
            return HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
