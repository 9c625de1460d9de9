package io.credproxy.daemon.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Runs a test class with Netty's leak detector at PARANOID and fails a test after which the
 * detector reports a leak (it reports while tracking new buffers once the leaked one was collected).
 */
final class LeakWatch implements BeforeAllCallback, AfterEachCallback {
    private static final ListAppender<ILoggingEvent> EVENTS = new ListAppender<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        if (!EVENTS.isStarted()) {
            EVENTS.start();
            logger.addAppender(EVENTS);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 64; i++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.heapBuffer(8);
                probe.release();
            }
        }
        List<String> leaks = EVENTS.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("LEAK")).toList();
        EVENTS.list.clear();
        assertThat(leaks).as("Netty leak reports").isEmpty();
    }
}
