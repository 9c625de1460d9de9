package io.credproxy.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches the proxy process over one measured interval: CPU used, peak RSS, RSS under load, most
 * open descriptors.
 *
 * <p>Descriptors have no kernel high-water mark, so a daemon thread samples them every 50 ms; the
 * count shows whether the connections a scenario asked for were really open at once. The same
 * thread samples the resident set: its median over the interval is the RSS under load, the figure a
 * memory budget must hold (the peak also catches a moment's allocation burst).
 */
public final class ProxyMeter {
    /** What the proxy used over the interval; zeros for a target without a process to watch. */
    public record Usage(double cpuSeconds, long peakRssKib, long loadRssKib, int peakFds) {
        static final Usage NONE = new Usage(0, 0, 0, 0);
    }

    private final ProcessStats stats;
    private final double cpuAtStart;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread sampler;
    private volatile int peakFds;
    private final List<Long> rssSamples = Collections.synchronizedList(new ArrayList<>());

    private ProxyMeter(ProcessStats stats) {
        this.stats = stats;
        if (stats == null) {
            cpuAtStart = 0;
            sampler = null;
            return;
        }
        stats.resetPeak();
        cpuAtStart = stats.cpuSeconds();
        peakFds = stats.openFds();
        sampler = new Thread(this::sample, "proxy-meter");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * Starts measuring; {@code stats} may be null (nothing to watch). A proxy process that has gone
     * is not watched either: its segment's requests fail and say so, the run goes on to its report.
     */
    public static ProxyMeter start(ProcessStats stats) {
        try {
            return new ProxyMeter(stats);
        } catch (IllegalStateException gone) {
            return new ProxyMeter(null);
        }
    }

    private void sample() {
        while (running.get()) {
            int fds = stats.openFds();
            if (fds > peakFds) {
                peakFds = fds;
            }
            try {
                rssSamples.add(stats.rssKib());
            } catch (IllegalStateException gone) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public Usage stop() {
        if (stats == null) {
            return Usage.NONE;
        }
        running.set(false);
        sampler.interrupt();
        try {
            double cpu = stats.cpuSeconds() - cpuAtStart;
            long rssNow = stats.rssKib();
            return new Usage(cpu, stats.peakRssKib(), median(rssSamples, rssNow), Math.max(peakFds, stats.openFds()));
        } catch (IllegalStateException gone) {
            return Usage.NONE; // the process died during the segment
        }
    }

    /** The median of the samples; {@code fallback} when the interval was too short for any. */
    static long median(List<Long> samples, long fallback) {
        List<Long> sorted;
        synchronized (samples) {
            sorted = new ArrayList<>(samples);
        }
        if (sorted.isEmpty()) {
            return fallback;
        }
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
