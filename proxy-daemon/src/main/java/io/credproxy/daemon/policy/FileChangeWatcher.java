package io.credproxy.daemon.policy;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back once a burst of changes in the directories of some files has settled.
 *
 * <p>Watches the parent directories, not the files: editors and {@code install} replace a file by
 * writing a new one and renaming it over the old, which gives the name a new inode that a watch on
 * the old file would never see; Kubernetes-style symlink swaps change a sibling entry only. Any event
 * in a watched directory therefore counts, and the callback decides whether the content changed.
 * Events are debounced: the callback runs when no event arrived for the quiet period, so an editor's
 * temporary file, write and rename make one reload.
 */
final class FileChangeWatcher implements AutoCloseable {
    static final long DEFAULT_QUIET_PERIOD_MILLIS = 300;
    private static final Logger log = LoggerFactory.getLogger(FileChangeWatcher.class);

    private final long quietPeriodMillis;
    private final Runnable onChange;
    private final Map<WatchKey, Path> directories = new ConcurrentHashMap<>();
    private WatchService service;
    private Thread thread;

    FileChangeWatcher(long quietPeriodMillis, Runnable onChange) {
        this.quietPeriodMillis = quietPeriodMillis;
        this.onChange = onChange;
    }

    /** Watches the directory holding {@code file} (once per directory). */
    synchronized void watch(Path file) throws IOException {
        Path dir = file.toAbsolutePath().normalize().getParent();
        if (dir == null || directories.containsValue(dir)) {
            return;
        }
        if (service == null) {
            service = FileSystems.getDefault().newWatchService();
        }
        WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        directories.put(key, dir);
        log.debug("watching {} for changes", dir);
    }

    synchronized void start() {
        if (service == null || thread != null) {
            return;
        }
        WatchService watching = service;
        thread = new Thread(() -> run(watching), "credproxy-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(WatchService watching) {
        try {
            while (true) {
                drain(watching.take());
                WatchKey more;
                while ((more = watching.poll(quietPeriodMillis, TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                try {
                    onChange.run();
                } catch (RuntimeException e) {
                    log.error("change handler failed: {}", e.getClass().getSimpleName());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            // closed: stop
        }
    }

    private void drain(WatchKey key) {
        key.pollEvents();
        if (!key.reset()) {
            Path dir = directories.remove(key);
            log.warn("stopped watching {} (it was removed); SIGHUP still reloads", dir);
        }
    }

    @Override
    public synchronized void close() {
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                log.debug("closing the watch service: {}", e.getClass().getSimpleName());
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
