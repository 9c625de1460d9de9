package io.credproxy.daemon.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The {@code %msg} of the daemon's text log layout with every unsafe character escaped
 * ({@link LogText#escape}): whatever a log statement is given, a client's bytes cannot forge a
 * line or drive the terminal that shows the log. Registered as {@code %msg} in {@link LogSetup}'s
 * text layouts; the JSON layout escapes control characters itself.
 */
public final class EscapingMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return LogText.escape(event.getFormattedMessage());
    }
}
