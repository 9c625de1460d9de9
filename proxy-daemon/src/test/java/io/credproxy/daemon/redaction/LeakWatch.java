package io.credproxy.daemon.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Runs a test class with Netty's leak detector at PARANOID and fails a test after which the
 * detector reports a leak (it reports while tracking new buffers once the leaked one was collected).
 * Reports about buffers other test classes dropped are drained before each test, so a test fails
 * only for its own leaks; the detector's level is put back after the class so later classes run
 * as configured. While the class runs, reports go only to this watch (a failing test carries them
 * in its message), so the leaks LeakWatchTest makes on purpose do not read as real ones in the build log.
 */
final class LeakWatch implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private static final ListAppender<ILoggingEvent> EVENTS = new ListAppender<>();
    /** The level before the class started (test classes run one after another in a fork). */
    private static ResourceLeakDetector.Level levelBefore;

    @Override
    public void beforeAll(ExtensionContext context) {
        levelBefore = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        if (!EVENTS.isStarted()) {
            EVENTS.start();
            detectorLogger().addAppender(EVENTS);
        }
        detectorLogger().setAdditive(false);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        collectAndReport();
        EVENTS.list.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        collectAndReport();
        List<String> leaks = EVENTS.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("LEAK")).toList();
        EVENTS.list.clear();
        assertThat(leaks).as("Netty leak reports").isEmpty();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ResourceLeakDetector.setLevel(levelBefore);
        detectorLogger().setAdditive(true);
    }

    private static Logger detectorLogger() {
        return (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    }

    /** Collects dropped buffers, then allocates, which is when the detector reports what was collected. */
    private static void collectAndReport() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 64; i++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.heapBuffer(8);
                probe.release();
            }
        }
    }
}
