package io.credproxy.daemon.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether standard error is connected to the systemd journal, by the sd-daemon convention.
 *
 * <p>systemd sets {@code JOURNAL_STREAM=DEVICE:INODE} for a service whose output goes to the
 * journal. The variable alone is not enough: it is inherited by children whose stderr was
 * redirected elsewhere (a shell script's {@code 2>file}), so it counts only when the device and
 * inode match those of this process's file descriptor 2 ({@code sd_journal_stream_fd(3)},
 * "Environment"). The descriptor is read through {@code /proc/self/fd/2}, which {@code stat}
 * follows to the open file, pipe or socket.
 */
public final class JournalStream {
    static final String VARIABLE = "JOURNAL_STREAM";
    private static final Path STDERR = Path.of("/proc/self/fd/2");

    private JournalStream() {}

    /** True when {@code environment}'s {@code JOURNAL_STREAM} names this process's stderr. */
    public static boolean isStderr(Map<String, String> environment) {
        return names(environment.get(VARIABLE), STDERR);
    }

    /** True when {@code value} is {@code DEVICE:INODE} of the file {@code path} leads to. */
    static boolean names(String value, Path path) {
        if (value == null) {
            return false;
        }
        int colon = value.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            long device = Long.parseUnsignedLong(value.substring(0, colon).trim());
            long inode = Long.parseUnsignedLong(value.substring(colon + 1).trim());
            Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino");
            return device == (Long) attributes.get("dev") && inode == (Long) attributes.get("ino");
        } catch (NumberFormatException | IOException | UnsupportedOperationException | ClassCastException e) {
            // Not a number, no /proc, or a file system without unix attributes: not provably the journal.
            return false;
        }
    }
}
