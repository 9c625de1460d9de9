package io.credproxy.daemon.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link LeakWatch} fails the test that dropped a buffer, and only that test. */
class LeakWatchTest {
    private final LeakWatch watch = new LeakWatch();

    @AfterEach
    void putTheLevelBack() {
        watch.afterAll(null);
    }

    @Test
    void aBufferDroppedDuringTheTestFailsIt() throws Exception {
        watch.beforeAll(null);
        watch.beforeEach(null);
        dropABuffer();

        assertThatThrownBy(() -> watch.afterEach(null)).isInstanceOf(AssertionError.class).hasMessageContaining("Netty leak reports");
    }

    @Test
    void aBufferDroppedBeforeTheTestDoesNotFailIt() throws Exception {
        watch.beforeAll(null);
        dropABuffer();
        watch.beforeEach(null);

        watch.afterEach(null);
    }

    @Test
    void theDetectorLevelIsPutBackAfterTheClass() {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        watch.beforeAll(null);
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);

        watch.afterAll(null);
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(before);
    }

    /** Allocates (tracked, the level being PARANOID) and returns without releasing. */
    private static void dropABuffer() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        leaked.writeLong(42);
    }
}
