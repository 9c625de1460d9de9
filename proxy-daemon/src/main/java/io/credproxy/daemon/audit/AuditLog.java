package io.credproxy.daemon.audit;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.wire.AgentEvent;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit events and agent events as JSON lines to a file, off the request path.
 *
 * <p>{@link #record} only offers the event to a bounded queue: it never blocks and never does I/O
 * on the caller's thread (a Netty event loop). When the queue is full the event is dropped and
 * counted ({@link #dropped()}, exported as a metric): losing an audit line under overload is better
 * than stalling every proxied connection. One writer thread serialises the lines with Jackson,
 * applies the redactor to free-text fields (path, reason, frame: the last line of defence against a
 * secret value that reached them by accident), flushes at least every {@code flushInterval}
 * (so a crash loses at most about a second), rotates by size ({@code audit.jsonl.1} is the newest
 * old file, {@code .N} the oldest, older ones deleted) and drains the queue completely on
 * {@link #close()}.
 *
 * <p>New files are created with mode 0640: the log holds no secret values, but it does say who
 * talked to whom.
 */
public final class AuditLog implements AuditSink, AgentEventSink, Closeable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long POLL_MILLIS = 100;

    /**
     * How the log is kept.
     *
     * @param file the current file; rotated files are {@code file.1} ... {@code file.keepFiles}
     * @param maxBytes rotate before a line would take the file past this size
     * @param keepFiles how many rotated files to keep (0: the current file is started anew)
     * @param queueCapacity events waiting for the writer before new ones are dropped
     * @param flushIntervalMillis the longest a written line waits in the buffer
     */
    public record Settings(Path file, long maxBytes, int keepFiles, int queueCapacity, long flushIntervalMillis) {
        public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
        public static final int DEFAULT_KEEP_FILES = 5;
        public static final int DEFAULT_QUEUE_CAPACITY = 65_536;
        public static final long DEFAULT_FLUSH_INTERVAL_MILLIS = 1_000;

        public Settings {
            Objects.requireNonNull(file, "file");
            if (maxBytes < 1024 || keepFiles < 0 || queueCapacity < 1 || flushIntervalMillis < 1) {
                throw new IllegalArgumentException("bad audit log settings: maxBytes >= 1024, keepFiles >= 0,"
                        + " queueCapacity >= 1, flushIntervalMillis >= 1");
            }
        }

        /** The defaults: 64 MiB per file, 5 rotated files, 65,536 queued events, flushed every second. */
        public static Settings defaults(Path file) {
            return new Settings(file, DEFAULT_MAX_BYTES, DEFAULT_KEEP_FILES, DEFAULT_QUEUE_CAPACITY,
                    DEFAULT_FLUSH_INTERVAL_MILLIS);
        }
    }

    private final Settings settings;
    private final UnaryOperator<String> redactor;
    private final ObjectWriter writer = AuditJson.newMapper().writer();
    private final BlockingQueue<Object> queue;
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    // Writer-thread state.
    private OutputStream out;
    private long size;
    private long lastWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;
    private long lastDropWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;
    private long droppedWarned;

    private AuditLog(Settings settings, UnaryOperator<String> redactor) throws IOException {
        this.settings = settings;
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        openFile();
        this.thread = new Thread(this::run, "credproxy-audit-writer");
        thread.setDaemon(true); // close() is what guarantees the last lines; a daemon thread never holds the JVM up
        thread.start();
    }

    /**
     * Opens (creating when needed) the audit log and starts its writer thread.
     *
     * @param redactor applied to free-text fields before they are written ({@code Redactor::redact})
     * @throws IOException when the file or its directory cannot be created or opened
     */
    public static AuditLog open(Settings settings, UnaryOperator<String> redactor) throws IOException {
        return new AuditLog(settings, redactor);
    }

    /** Opens the audit log at {@code file} with the default settings. */
    public static AuditLog open(Path file, UnaryOperator<String> redactor) throws IOException {
        return open(Settings.defaults(file), redactor);
    }

    @Override
    public void record(AuditEvent event) {
        enqueue(event);
    }

    @Override
    public void recordAgentEvent(AgentEvent event) {
        enqueue(event);
    }

    private void enqueue(Object event) {
        if (event == null) {
            return;
        }
        if (closed || !queue.offer(event)) {
            dropped.increment();
        }
    }

    /** Events dropped because the queue was full or the log was closed. */
    public long dropped() {
        return dropped.sum();
    }

    /** Lines written to the file so far. */
    public long written() {
        return written.get();
    }

    /** Lines lost to I/O or serialisation failures. */
    public long writeFailures() {
        return writeFailures.get();
    }

    public Path file() {
        return settings.file();
    }

    /**
     * Stops accepting events, writes every queued one, flushes and closes the file.
     *
     * <p>Waits up to 10 seconds for the writer; events recorded after this call are dropped.
     */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("audit log writer did not finish within 10 s; {} events still queued", queue.size());
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>(256);
        long lastFlush = System.nanoTime();
        boolean dirty = false;
        long flushNanos = TimeUnit.MILLISECONDS.toNanos(settings.flushIntervalMillis());
        while (true) {
            Object first;
            try {
                first = queue.poll(Math.min(POLL_MILLIS, settings.flushIntervalMillis()), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null; // only close() stops this thread
            }
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, 4096);
                for (Object event : batch) {
                    dirty |= writeLine(event);
                }
                batch.clear();
            }
            long now = System.nanoTime();
            // Flush when idle or at least once per interval under steady load.
            if (dirty && (first == null || now - lastFlush >= flushNanos)) {
                flush();
                dirty = false;
                lastFlush = now;
            }
            warnAboutDrops(now);
            if (closed && queue.isEmpty()) {
                break;
            }
        }
        // An event offered just as close() began may have slipped in after the last check.
        queue.drainTo(batch);
        batch.forEach(this::writeLine);
        flush();
        closeFile();
    }

    private boolean writeLine(Object event) {
        byte[] line;
        try {
            Object redacted = event instanceof AuditEvent a ? new AuditLines.RequestLine(redact(a))
                    : new AuditLines.AgentLine(redact((AgentEvent) event));
            line = writer.writeValueAsBytes(redacted);
        } catch (IOException | RuntimeException e) {
            failure("cannot serialise an audit event", e);
            return false;
        }
        try {
            if (out == null) {
                openFile();
            }
            if (size > 0 && size + line.length + 1 > settings.maxBytes()) {
                rotate();
            }
            out.write(line);
            out.write('\n');
            size += line.length + 1;
            written.incrementAndGet();
            return true;
        } catch (IOException | RuntimeException e) {
            failure("cannot write the audit log " + settings.file(), e);
            closeFile(); // reopened for the next line, so a transient failure (disk full) heals
            return false;
        }
    }

    private AuditEvent redact(AuditEvent e) {
        return new AuditEvent(e.timeMillis(), redactor.apply(e.app()), redactor.apply(e.client()), e.method(),
                e.scheme(), redactor.apply(e.host()), e.port(), redactor.apply(e.path()), e.decision(),
                e.secretNames(), e.status(), e.bytesUp(), e.bytesDown(), e.durationMillis(), redactor.apply(e.reason()));
    }

    private AgentEvent redact(AgentEvent e) {
        return new AgentEvent(e.kind(), e.timeMillis(), redactor.apply(e.app()), redactor.apply(e.client()),
                redactor.apply(e.host()), e.port(), redactor.apply(e.frame()));
    }

    private void openFile() throws IOException {
        Path file = settings.file();
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        createIfMissing(file);
        out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND), 64 * 1024);
        size = Files.size(file);
    }

    private static void createIfMissing(Path file) throws IOException {
        try {
            if (Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            // appending to the existing log
        }
    }

    private void rotate() throws IOException {
        closeFile();
        Path file = settings.file();
        int keep = settings.keepFiles();
        if (keep == 0) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(rotated(file, keep));
            for (int i = keep - 1; i >= 1; i--) {
                Path from = rotated(file, i);
                if (Files.exists(from)) {
                    Files.move(from, rotated(file, i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, rotated(file, 1), StandardCopyOption.REPLACE_EXISTING);
        }
        openFile();
    }

    /** The {@code n}th rotated file beside {@code file}: {@code audit.jsonl.1} is the newest. */
    public static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private void flush() {
        if (out == null) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            failure("cannot flush the audit log " + settings.file(), e);
            closeFile();
        }
    }

    private void closeFile() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            failure("cannot close the audit log " + settings.file(), e);
        }
        out = null;
    }

    private void failure(String what, Exception e) {
        writeFailures.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastWarnNanos >= WARN_EVERY_NANOS) {
            lastWarnNanos = now;
            // The exception's class only: its message could quote the line being written.
            log.warn("{} ({}); {} audit lines lost so far", what, e.getClass().getSimpleName(), writeFailures.get());
        }
    }

    private void warnAboutDrops(long now) {
        long d = dropped.sum();
        if (d > droppedWarned && now - lastDropWarnNanos >= WARN_EVERY_NANOS) {
            lastDropWarnNanos = now;
            droppedWarned = d;
            log.warn("audit queue full: {} audit events dropped so far", d);
        }
    }
}
