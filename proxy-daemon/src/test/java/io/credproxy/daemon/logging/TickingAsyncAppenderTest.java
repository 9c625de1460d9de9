package io.credproxy.daemon.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TickingAsyncAppenderTest {
    // The SLF4J binding's context: it carries the MDC adapter an event needs to be deferred.
    private final LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();

    private ILoggingEvent event(String message) {
        return new LoggingEvent("test", context.getLogger("io.credproxy.access"), Level.INFO, message, null, null);
    }

    private TickingAsyncAppender ticking(int queueSize, ch.qos.logback.core.Appender<ILoggingEvent> child) {
        TickingAsyncAppender appender = new TickingAsyncAppender();
        appender.setContext(context);
        appender.setName("access");
        appender.setQueueSize(queueSize);
        appender.addAppender(child);
        appender.start();
        return appender;
    }

    @Test
    void linesReachTheAppenderItHoldsFromAnotherThreadInOrder() {
        List<String> threads = new CopyOnWriteArrayList<>();
        ListAppender<ILoggingEvent> list = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent e) {
                threads.add(Thread.currentThread().getName());
                super.append(e);
            }
        };
        list.start();
        TickingAsyncAppender appender = ticking(100, list);
        for (int i = 0; i < 50; i++) {
            appender.doAppend(event("line " + i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> list.list.size() == 50);
        assertThat(list.list).extracting(ILoggingEvent::getFormattedMessage).startsWith("line 0", "line 1").endsWith("line 49");
        assertThat(threads).allMatch(t -> t.equals("credproxy-log-access"));
        appender.stop();
    }

    @Test
    @Timeout(30) // an append that blocked on the full queue would hang here
    void aFullQueueDropsAndCountsInsteadOfBlockingAndStopWritesWhatIsQueued() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> stalled = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                written.add(e.getFormattedMessage());
            }
        };
        stalled.setContext(context);
        stalled.start();
        TickingAsyncAppender appender = ticking(2, stalled);
        appender.doAppend(event("first"));
        assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue(); // the writer is stuck on "first"

        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            appender.doAppend(event("more " + i)); // two fit, eight are dropped, none waits
        }
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(appender.dropped()).isEqualTo(8);

        release.countDown();
        appender.stop();
        assertThat(written).containsExactly("first", "more 0", "more 1");
    }
}
