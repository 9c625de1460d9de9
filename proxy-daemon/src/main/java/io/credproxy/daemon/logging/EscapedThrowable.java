package io.credproxy.daemon.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * A thrown exception as Logback renders it, with the message of every exception in it (causes and
 * suppressed ones too) escaped by {@link LogText#escape}, as the log line's own message is.
 *
 * <p>Why: an exception's message can carry text a client chose (a parser quoting the bytes it
 * rejected), and Logback writes it raw after the line; a line feed in it would start a line of the
 * client's making. Class names and stack frames come from the JVM and stay as they are, so the
 * trace keeps its shape; only a message with an unsafe character reads differently.
 */
final class EscapedThrowable implements IThrowableProxy {
    private final IThrowableProxy thrown;

    private EscapedThrowable(IThrowableProxy thrown) {
        this.thrown = thrown;
    }

    /** {@code thrown} with its messages escaped; {@code null} stays {@code null}. */
    static IThrowableProxy of(IThrowableProxy thrown) {
        return thrown == null ? null : new EscapedThrowable(thrown);
    }

    @Override
    public String getMessage() {
        return LogText.escape(thrown.getMessage());
    }

    @Override
    public String getOverridingMessage() {
        return LogText.escape(thrown.getOverridingMessage());
    }

    @Override
    public String getClassName() {
        return thrown.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
        return thrown.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
        return thrown.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
        // Logback's proxy tree is finite (a cycle ends in a proxy marked cyclic), so wrapping as
        // the renderer walks it ends too.
        return of(thrown.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
        IThrowableProxy[] suppressed = thrown.getSuppressed();
        if (suppressed == null) {
            return null;
        }
        IThrowableProxy[] escaped = new IThrowableProxy[suppressed.length];
        for (int i = 0; i < suppressed.length; i++) {
            escaped[i] = of(suppressed[i]);
        }
        return escaped;
    }

    @Override
    public boolean isCyclic() {
        return thrown.isCyclic();
    }
}
