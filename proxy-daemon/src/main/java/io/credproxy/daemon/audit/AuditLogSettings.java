package io.credproxy.daemon.audit;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the {@link AuditLog} is kept.
 *
 * @param file the current file; rotated files are {@code file.1} ... {@code file.keepFiles}
 * @param maxBytes rotate before a line would take the file past this size
 * @param keepFiles how many rotated files to keep (0: the current file is started anew)
 * @param queueCapacity events waiting for the writer before new ones are dropped
 * @param flushIntervalMillis the longest a written line waits in the buffer
 * @param agentShare the part of each file agent events may take (0 to 1); their lines beyond it are dropped
 */
public record AuditLogSettings(Path file, long maxBytes, int keepFiles, int queueCapacity, long flushIntervalMillis,
        double agentShare) {
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_KEEP_FILES = 5;
    public static final int DEFAULT_QUEUE_CAPACITY = 65_536;
    public static final long DEFAULT_FLUSH_INTERVAL_MILLIS = 1_000;
    /** A tenth: plenty for honest agents (a few events per app and client), and a flood cannot rotate history away. */
    public static final double DEFAULT_AGENT_SHARE = 0.1;

    public AuditLogSettings {
        Objects.requireNonNull(file, "file");
        if (maxBytes < 1024 || keepFiles < 0 || queueCapacity < 1 || flushIntervalMillis < 1 || agentShare < 0 || agentShare > 1) {
            throw new IllegalArgumentException("bad audit log settings: maxBytes >= 1024, keepFiles >= 0,"
                    + " queueCapacity >= 1, flushIntervalMillis >= 1, agentShare from 0 to 1");
        }
    }

    /** With the default share for agent events. */
    public AuditLogSettings(Path file, long maxBytes, int keepFiles, int queueCapacity, long flushIntervalMillis) {
        this(file, maxBytes, keepFiles, queueCapacity, flushIntervalMillis, DEFAULT_AGENT_SHARE);
    }

    /** The defaults: 64 MiB per file, 5 rotated files, 65,536 queued events, flushed every second, a tenth for agent events. */
    public static AuditLogSettings defaults(Path file) {
        return new AuditLogSettings(file, DEFAULT_MAX_BYTES, DEFAULT_KEEP_FILES, DEFAULT_QUEUE_CAPACITY,
                DEFAULT_FLUSH_INTERVAL_MILLIS);
    }
}
