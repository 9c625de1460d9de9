package io.credproxy.daemon.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher's filter and debounce, with a neighbour that writes a log every 100 ms. */
class FileChangeWatcherTest {
    @TempDir
    Path dir;
    private Path config;
    private final AtomicInteger changes = new AtomicInteger();
    private final AtomicLong firstChangeNanos = new AtomicLong();
    private FileChangeWatcher watcher;
    private Thread writer;

    @BeforeEach
    void watchTheConfig() throws IOException {
        config = Files.writeString(dir.resolve("credproxy.yaml"), "v0\n");
        watcher = new FileChangeWatcher(FileChangeWatcher.DEFAULT_QUIET_PERIOD_MILLIS, () -> {
            firstChangeNanos.compareAndSet(0, System.nanoTime());
            changes.incrementAndGet();
        });
        watcher.watch(config);
        watcher.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        watcher.close();
        if (writer != null) {
            writer.interrupt();
            writer.join();
        }
    }

    /** Writes {@code file} every 100 ms until interrupted or {@code millis} have passed. */
    private Thread keepWriting(Path file, long millis) {
        Thread t = new Thread(() -> {
            long end = System.nanoTime() + Duration.ofMillis(millis).toNanos();
            for (int i = 0; System.nanoTime() < end && !Thread.currentThread().isInterrupted(); i++) {
                try {
                    Files.writeString(file, "line " + i + "\n");
                    Thread.sleep(100);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test-writer");
        t.start();
        return t;
    }

    @Test
    void aChangeIsSeenWhileALogBesideItIsWrittenEvery100Milliseconds() throws IOException {
        writer = keepWriting(dir.resolve("daemon.log"), 10_000);
        long changed = System.nanoTime();

        Files.writeString(config, "v1\n");

        await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() > 0);
        assertThat(writer.isAlive()).as("the neighbour was still writing").isTrue();
        assertThat(Duration.ofNanos(firstChangeNanos.get() - changed)).isLessThan(Duration.ofMillis(1_500));
    }

    @Test
    void writesToOtherFilesInTheDirectoryAreNotChanges() throws Exception {
        writer = keepWriting(dir.resolve("daemon.log"), 1_500);
        writer.join();

        long changed = System.nanoTime();
        Files.writeString(config, "v1\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() > 0);

        assertThat(firstChangeNanos.get() - changed).as("nothing called back before the config itself changed").isPositive();
        assertThat(changes.get()).isEqualTo(1);
    }

    @Test
    void aFileRewrittenMoreOftenThanTheQuietPeriodReloadsWithinASecondOfTheFirstChange() {
        long started = System.nanoTime();
        writer = keepWriting(config, 10_000);

        await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() > 0);

        assertThat(writer.isAlive()).as("the file was still being rewritten").isTrue();
        assertThat(Duration.ofNanos(firstChangeNanos.get() - started)).isLessThan(Duration.ofMillis(1_500));
    }
}
