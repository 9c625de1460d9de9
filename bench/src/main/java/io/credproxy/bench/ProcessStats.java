package io.credproxy.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time, peak resident memory and open descriptors of a process, read from {@code /proc}.
 *
 * <p>CPU is {@code utime + stime} of {@code /proc/PID/stat} (all threads). The peak is
 * {@code VmHWM} of {@code /proc/PID/status}; writing {@code 5} to {@code /proc/PID/clear_refs}
 * resets it (Linux 4.0+, owner or root), so each measured segment gets its own peak. Where the
 * reset is refused the peak is the process's lifetime peak, which {@link #peakResettable} says.
 */
public final class ProcessStats {
    private final long pid;
    private final long ticksPerSecond;
    private final boolean peakResettable;

    public ProcessStats(long pid, long ticksPerSecond) {
        this.pid = pid;
        this.ticksPerSecond = ticksPerSecond;
        this.peakResettable = resetPeak(pid);
    }

    public long pid() {
        return pid;
    }

    public boolean peakResettable() {
        return peakResettable;
    }

    /** CPU seconds used since the process started. */
    public double cpuSeconds() {
        try {
            return cpuTicks(Files.readString(proc("stat"), StandardCharsets.US_ASCII)) / (double) ticksPerSecond;
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone: " + e.getMessage(), e);
        }
    }

    /** Resets the peak-RSS mark, when the kernel lets us. */
    public void resetPeak() {
        if (peakResettable) {
            resetPeak(pid);
        }
    }

    /** Peak resident set size in KiB ({@code VmHWM}). */
    public long peakRssKib() {
        return statusField("VmHWM:");
    }

    /** Current resident set size in KiB ({@code VmRSS}). */
    public long rssKib() {
        return statusField("VmRSS:");
    }

    /** Open file descriptors (sockets included). */
    public int openFds() {
        try (Stream<Path> fds = Files.list(proc("fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private long statusField(String field) {
        try {
            return statusValueKib(Files.readString(proc("status"), StandardCharsets.US_ASCII), field);
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone: " + e.getMessage(), e);
        }
    }

    private Path proc(String name) {
        return Path.of("/proc", Long.toString(pid), name);
    }

    private static boolean resetPeak(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * {@code utime + stime} from a {@code /proc/PID/stat} line. The command name (field 2) may hold
     * spaces and parentheses, so fields are counted from its last closing parenthesis.
     */
    static long cpuTicks(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line");
        }
        String[] fields = statLine.substring(close + 2).trim().split(" +");
        // fields[0] is field 3 (state); utime is field 14, stime field 15.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static long statusValueKib(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field)) {
                String[] parts = line.substring(field.length()).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        throw new IllegalArgumentException("no " + field + " in /proc/PID/status");
    }

    /** The kernel's clock ticks per second ({@code getconf CLK_TCK}), 100 when it cannot be asked. */
    public static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
