package io.credproxy.daemon.audit;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.daemon.logging.EventQueue;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit events and agent events as JSON lines to a file, off the request path.
 *
 * <p>{@link #record} only offers the event to a bounded lock-free queue ({@link EventQueue}; an
 * {@code ArrayBlockingQueue}'s lock, held while the writer drains, parked event loops): it never blocks, does no
 * I/O on the caller's thread (a Netty event loop) and never wakes the writer, which looks for work every
 * {@value #TICK_MILLIS} ms when idle. When the queue is full the event is dropped and counted ({@link #dropped()},
 * exported as a metric): losing an audit line under overload is better than stalling every proxied connection. One
 * writer thread serialises the lines with Jackson, appends them to the {@link AuditFile} (which rotates by size),
 * flushes at least every {@code flushInterval} (so a crash loses at most about a second) and drains the queue
 * completely on {@link #close()}.
 *
 * <p>Events arrive redacted: request and tunnel events by the {@link io.credproxy.daemon.pipeline.AuditRecorder},
 * agent events by the {@code /events} endpoint, each the one redaction pass of its kind.
 */
public final class AuditLog implements AuditSink, AgentEventSink, Closeable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long TICK_MILLIS = 20;

    private final AuditLogSettings settings;
    private final Runnable beforeEachLine;
    private final RecordJson writer = RecordJson.reportFormat();
    private final EventQueue<Object> queue;
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong agentOverShare = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    // Writer-thread state.
    private final AuditFile file;
    private long lastWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;
    private long lastDropWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;
    private long droppedWarned;

    private AuditLog(AuditLogSettings settings, Runnable beforeEachLine) throws IOException {
        this.settings = settings;
        this.beforeEachLine = Objects.requireNonNull(beforeEachLine, "beforeEachLine");
        this.queue = new EventQueue<>(settings.queueCapacity());
        this.file = new AuditFile(settings);
        file.open();
        this.thread = new Thread(this::run, "credproxy-audit-writer");
        thread.setDaemon(true); // close() is what guarantees the last lines; a daemon thread never holds the JVM up
        thread.start();
    }

    /** Opens (creating when needed) the audit log and starts its writer thread. @throws IOException when it cannot */
    public static AuditLog open(AuditLogSettings settings) throws IOException {
        return new AuditLog(settings, () -> {});
    }

    /** Opens the audit log at {@code file} with the default settings. */
    public static AuditLog open(Path file) throws IOException {
        return open(AuditLogSettings.defaults(file));
    }

    /** As {@link #open(AuditLogSettings)}, running {@code beforeEachLine} on the writer thread before each line (tests hold the writer with it). */
    static AuditLog open(AuditLogSettings settings, Runnable beforeEachLine) throws IOException {
        return new AuditLog(settings, beforeEachLine);
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
        if (event != null && (closed || !queue.offer(event))) {
            dropped.increment();
        }
    }

    /** Events dropped because the queue was full or the log was closed. */
    public long dropped() {
        return dropped.sum();
    }

    /** Agent events left out because agent events had used up their share of the current file. */
    public long agentEventsOverShare() {
        return agentOverShare.get();
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
            Object first = queue.poll();
            if (first == null) {
                // Sleep a tick rather than wait on the queue: an offer to a waiting consumer wakes
                // it, a futex call and a context switch per request on a quiet daemon (measured with
                // strace -c); a tick lets a burst of events arrive and be written in one go.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(TICK_MILLIS, settings.flushIntervalMillis())));
                first = queue.poll();
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
        for (Object e; (e = queue.poll()) != null; ) {
            writeLine(e);
        }
        flush();
        closeFile();
    }

    private boolean writeLine(Object event) {
        beforeEachLine.run();
        byte[] line;
        try {
            Object typed = event instanceof AuditEvent a ? new AuditLines.RequestLine(a) : new AuditLines.AgentLine((AgentEvent) event);
            line = writer.toBytes(typed);
        } catch (IOException | RuntimeException e) {
            failure("cannot serialise an audit event", e);
            return false;
        }
        try {
            if (!file.append(line, event instanceof AgentEvent)) {
                agentOverShare.incrementAndGet();
                return false;
            }
            written.incrementAndGet();
            return true;
        } catch (IOException | RuntimeException e) {
            failure("cannot write the audit log " + settings.file(), e);
            closeFile(); // reopened for the next line, so a transient failure (disk full) heals
            return false;
        }
    }

    /** The {@code n}th rotated file beside {@code file}: {@code audit.jsonl.1} is the newest. */
    public static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private void flush() {
        try {
            file.flush();
        } catch (IOException e) {
            failure("cannot flush the audit log " + settings.file(), e);
            closeFile();
        }
    }

    private void closeFile() {
        try {
            file.close();
        } catch (IOException e) {
            failure("cannot close the audit log " + settings.file(), e);
        }
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
