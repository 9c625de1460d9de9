package io.credproxy.daemon.limits;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's file descriptors: how many it may open and how many are open now.
 *
 * <p>Read from {@link UnixOperatingSystemMXBean} (the {@code jdk.management} module, which every
 * JDK build the daemon supports has); where that is missing, the limit comes from
 * {@code /proc/self/limits} and the count from {@code /proc/self/fd}. Unknown values are -1. The
 * JVM raises its soft limit to the hard one at start-up on Linux, so what this reports is what the
 * daemon can really use.
 */
public final class FileDescriptors {
    private static final Path LIMITS = Path.of("/proc/self/limits");
    private static final Path OPEN = Path.of("/proc/self/fd");

    private FileDescriptors() {}

    /** The open-file limit, or -1. */
    public static long limit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        try {
            return parseLimit(Files.readAllLines(LIMITS));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Descriptors open now, or -1. */
    public static long open() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            return unix.getOpenFileDescriptorCount();
        }
        try (var entries = Files.list(OPEN)) {
            return entries.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The soft limit from the "Max open files" line of {@code /proc/self/limits}; -1 when absent or unlimited. */
    static long parseLimit(List<String> lines) {
        for (String line : lines) {
            if (line.startsWith("Max open files")) {
                String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                return fields.length > 0 && fields[0].chars().allMatch(Character::isDigit) && !fields[0].isEmpty()
                        ? Long.parseLong(fields[0]) : -1;
            }
        }
        return -1;
    }
}
