package io.credproxy.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Puts a syslog priority prefix ({@code <3>} for ERROR ... {@code <7>} for DEBUG) before every line
 * another encoder writes, so that journald files each line with its level.
 *
 * <p>journald reads the prefix on a stream connected to it (sd-daemon(3), "kernel-style log
 * levels") and strips it; without one every line is "info", and {@code journalctl -p warning}
 * finds nothing. Each line of a multi-line message (a stack trace) gets the prefix too: journald
 * takes every line as a record of its own.
 */
final class JournalPriorityEncoder extends EncoderBase<ILoggingEvent> {
    private final Encoder<ILoggingEvent> delegate;

    JournalPriorityEncoder(Encoder<ILoggingEvent> delegate) {
        this.delegate = delegate;
    }

    /** The syslog priority of a Logback level: err, warning, info, debug. */
    static int priority(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return 3;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return 4;
        }
        return level.isGreaterOrEqual(Level.INFO) ? 6 : 7;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        byte[] body = delegate.encode(event);
        byte[] prefix = ("<" + priority(event.getLevel()) + ">").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 8);
        boolean lineStart = true;
        for (byte b : body) {
            if (lineStart) {
                out.writeBytes(prefix);
            }
            out.write(b);
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }

    @Override
    public void start() {
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        delegate.stop();
        super.stop();
    }
}
