package io.credproxy.daemon.policy;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back once a burst of changes in the directories of some files has settled.
 *
 * <p>Watches the parent directories, not the files: editors and {@code install} replace a file by
 * writing a new one and renaming it over the old, which gives the name a new inode that a watch on
 * the old file would never see. Only events for the watched names count (and, for a watched
 * symlink, for the first entry of its relative target: a Kubernetes-style swap renames
 * {@code ..data} beside the file); anything else written in the directory, a log for instance, is
 * ignored. The callback decides whether the content changed.
 *
 * <p>Events are debounced: the callback runs once no relevant event arrived for the quiet period, so
 * an editor's temporary file, write and rename make one reload; and at most {@value #MAX_DELAY_MILLIS}
 * ms after the first relevant event, so a file rewritten more often than the quiet period still
 * reloads.
 */
final class FileChangeWatcher implements AutoCloseable {
    static final long DEFAULT_QUIET_PERIOD_MILLIS = 300;
    static final long MAX_DELAY_MILLIS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(FileChangeWatcher.class);

    private final long quietPeriodMillis;
    private final Runnable onChange;
    private final Map<WatchKey, Path> directories = new ConcurrentHashMap<>();
    /** Per watched directory, the entry names whose events count. */
    private final Map<Path, Set<Path>> names = new ConcurrentHashMap<>();
    private WatchService service;
    private Thread thread;

    FileChangeWatcher(long quietPeriodMillis, Runnable onChange) {
        this.quietPeriodMillis = quietPeriodMillis;
        this.onChange = onChange;
    }

    /** Watches {@code file}, through the directory holding it (registered once per directory). */
    synchronized void watch(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        if (dir == null) {
            return;
        }
        Set<Path> relevant = names.computeIfAbsent(dir, d -> ConcurrentHashMap.newKeySet());
        relevant.add(absolute.getFileName());
        if (Files.isSymbolicLink(absolute)) {
            Path target = Files.readSymbolicLink(absolute);
            if (!target.isAbsolute() && target.getNameCount() > 1) {
                relevant.add(target.getName(0));
            }
        }
        if (directories.containsValue(dir)) {
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
        long quietNanos = TimeUnit.MILLISECONDS.toNanos(quietPeriodMillis);
        try {
            while (true) {
                if (!drain(watching.take())) {
                    continue;
                }
                long now = System.nanoTime();
                long deadline = now + TimeUnit.MILLISECONDS.toNanos(MAX_DELAY_MILLIS);
                long quietUntil = now + quietNanos;
                for (long wait; (wait = Math.min(quietUntil, deadline) - System.nanoTime()) > 0; ) {
                    WatchKey more = watching.poll(wait, TimeUnit.NANOSECONDS);
                    if (more != null && drain(more)) {
                        quietUntil = System.nanoTime() + quietNanos;
                    }
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

    /** Takes the key's events; whether one of them concerns a watched file (or events were lost). */
    private boolean drain(WatchKey key) {
        Path dir = directories.get(key);
        Set<Path> relevant = dir == null ? Set.of() : names.getOrDefault(dir, Set.of());
        boolean hit = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            hit |= event.kind() == StandardWatchEventKinds.OVERFLOW || relevant.contains(event.context());
        }
        if (!key.reset()) {
            directories.remove(key);
            log.warn("stopped watching {} (it was removed); SIGHUP still reloads", dir);
        }
        return hit;
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
