package io.credproxy.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The daemon's logging: one line per request on {@value #ACCESS_LOGGER} (off the event loops), start-up
 * and errors on the rest, all on stderr (systemd's journal keeps it); {@code -Dcredproxy.log.level=DEBUG}
 * for more. No logger in the daemon is ever given a secret value; Netty's messages stay at WARN.
 *
 * <p>Set up in code, found by Logback through {@code META-INF/services}, instead of a {@code logback.xml}.
 * Why: reading XML takes Logback's configuration model and the JDK's XML parser, about 400 classes
 * that stay loaded for the life of the process (2-3 MiB of metaspace and symbols), in a daemon sized to
 * stay under 96 MiB (docs/BENCHMARKS.md, "Memory"). An operator's own file
 * ({@code -Dlogback.configurationFile}) still wins: then this configurator steps aside.
 *
 * <p>The access log is written by a thread of its own: the line is made on a Netty event loop, and
 * writing it there would block the loop on stderr (under systemd, the journal's socket) while every
 * other connection of that loop waits. {@link TickingAsyncAppender} never blocks the loop and never
 * wakes its writer per line; when its queue is full (stderr slower than the requests) lines are dropped;
 * the audit log carries the same fields and counts its own drops. Start-up lines, warnings and errors
 * stay synchronous, so nothing before an exit is lost; {@link LogSetup#stop} writes what is still queued.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class DaemonLogConfigurator extends ContextAwareBase implements Configurator {
    static final String ACCESS_LOGGER = "io.credproxy.access";
    static final int ACCESS_QUEUE = 8192;
    static final String LEVEL_PROPERTY = "credproxy.log.level";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName(LogSetup.APPENDER);
        stderr.setTarget("System.err");
        stderr.setEncoder(LogSetup.encoder(context, LogFormat.TEXT, false));
        stderr.start();

        TickingAsyncAppender access = new TickingAsyncAppender();
        access.setContext(context);
        access.setName("ACCESS_ASYNC");
        access.setQueueSize(ACCESS_QUEUE);
        access.addAppender(stderr);
        access.start();

        Logger accessLogger = context.getLogger(ACCESS_LOGGER);
        accessLogger.setAdditive(false);
        accessLogger.addAppender(access);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger(LogSetup.PROJECT_LOGGER).setLevel(Level.toLevel(System.getProperty(LEVEL_PROPERTY), Level.INFO));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
