package io.credproxy.daemon.audit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The audit log's file on disk: appends lines, rotates by size ({@code audit.jsonl.1} is the newest
 * old file, {@code .N} the oldest, older ones deleted), creates new files with mode 0640 (the log
 * holds no secret values, but it does say who talked to whom).
 *
 * <p>Used by the {@link AuditLog}'s writer thread only. After an I/O failure the caller closes it;
 * the next {@link #append} reopens it, so a transient failure (disk full) heals.
 *
 * <p>Agent events come from clients nobody has authenticated yet; if they could fill the file, a
 * flood of them would rotate the request history away. So they may take only a share of each file
 * ({@link AuditLogSettings#agentShare()}); beyond it their lines are left out until the next
 * rotation, which only request lines can then bring about. (The share restarts with the process.)
 */
final class AuditFile {
    private final AuditLogSettings settings;
    private OutputStream out;
    private long size;
    private long agentBytes;

    AuditFile(AuditLogSettings settings) {
        this.settings = settings;
    }

    Path path() {
        return settings.file();
    }

    void open() throws IOException {
        Path file = settings.file();
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        createIfMissing(file);
        out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND), 64 * 1024);
        size = Files.size(file);
    }

    /** Appends one line (a newline is added), rotating first if it would take the file past its size. */
    void append(byte[] line) throws IOException {
        append(line, false);
    }

    /**
     * Appends one line; an agent event's line only while agent events take up less than
     * {@link AuditLogSettings#agentShare()} of the file.
     *
     * @return {@code false} when an agent line was left out because the share is used up
     */
    boolean append(byte[] line, boolean agent) throws IOException {
        if (out == null) {
            open();
        }
        if (agent && agentBytes + line.length + 1 > settings.maxBytes() * settings.agentShare()) {
            return false;
        }
        if (size > 0 && size + line.length + 1 > settings.maxBytes()) {
            rotate();
        }
        out.write(line);
        out.write('\n');
        size += line.length + 1;
        if (agent) {
            agentBytes += line.length + 1;
        }
        return true;
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
        close();
        agentBytes = 0;
        Path file = settings.file();
        int keep = settings.keepFiles();
        if (keep == 0) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(AuditLog.rotated(file, keep));
            for (int i = keep - 1; i >= 1; i--) {
                Path from = AuditLog.rotated(file, i);
                if (Files.exists(from)) {
                    Files.move(from, AuditLog.rotated(file, i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, AuditLog.rotated(file, 1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /** Closes the file; {@code IOException} still leaves it closed. */
    void close() throws IOException {
        OutputStream o = out;
        out = null;
        if (o != null) {
            o.close();
        }
    }
}
