package io.credproxy.daemon.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import io.credproxy.daemon.pipeline.AuditRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DaemonLogConfiguratorTest {
    private final LoggerContext context = new LoggerContext();

    @AfterEach
    void clearProperties() {
        System.clearProperty(DaemonLogConfigurator.LEVEL_PROPERTY);
        context.stop();
    }

    private ExecutionStatus configure() {
        DaemonLogConfigurator configurator = new DaemonLogConfigurator();
        configurator.setContext(context);
        return configurator.configure(context);
    }

    @Test
    void stderrForAllAndTheAccessLogThroughItsOwnWriterThread() {
        assertThat(configure()).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender(LogSetup.APPENDER)).isInstanceOf(ConsoleAppender.class);
        assertThat(((ConsoleAppender<?>) root.getAppender(LogSetup.APPENDER)).getTarget()).isEqualTo("System.err");
        Logger access = context.getLogger(AuditRecorder.ACCESS_LOGGER);
        assertThat(access.isAdditive()).as("access lines are not written twice").isFalse();
        assertThat(access.getAppender("ACCESS_ASYNC")).isInstanceOf(TickingAsyncAppender.class);
        assertThat(access.getAppender("ACCESS_ASYNC").isStarted()).isTrue();
        assertThat(context.getLogger("io.netty").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.credproxy.daemon.Daemon").getEffectiveLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void theLevelPropertyRaisesTheDaemonsOwnLoggersOnly() {
        System.setProperty(DaemonLogConfigurator.LEVEL_PROPERTY, "DEBUG");

        configure();

        assertThat(context.getLogger("io.credproxy.daemon.Daemon").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("io.netty.handler.ssl").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void anOperatorsOwnConfigurationFileWins() {
        String before = System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
        System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, "/etc/credproxy/logback.xml");
        try {
            assertThat(configure()).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
            } else {
                System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, before);
            }
        }
    }

    @Test
    void logbackFindsItWithoutAnyXml() {
        LoggerContext running = (LoggerContext) LoggerFactory.getILoggerFactory();

        assertThat(running.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(LogSetup.APPENDER)).isNotNull();
        assertThat(running.getLogger(AuditRecorder.ACCESS_LOGGER).getAppender("ACCESS_ASYNC")).isNotNull();
        assertThat(getClass().getClassLoader().getResource("logback.xml")).as("no XML to parse").isNull();
    }
}
