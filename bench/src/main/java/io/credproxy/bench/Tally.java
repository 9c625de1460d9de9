package io.credproxy.bench;

import org.HdrHistogram.Histogram;

/**
 * Counts and latencies of one worker, one segment or one whole scenario for a target; tallies
 * merge by {@link #add}.
 *
 * <p>Not thread-safe: each worker keeps its own and the runner merges them when the workers are
 * done. Latencies are kept in microseconds with three significant digits.
 */
public final class Tally {
    private final Histogram latencyMicros = new Histogram(3);
    private final Histogram eventDelayMicros = new Histogram(3);
    private long operations;
    private long errors;
    private long bytes;
    private long events;
    private long eventNanos;
    private long streams;
    private long bufferedStreams;
    private long elapsedNanos;
    private double cpuSeconds;
    private long peakRssKib;
    private long loadRssKib;
    private int peakFds;
    private String firstError;

    /** One finished operation; {@code error} null when it was right. */
    public void record(long nanos, String error) {
        operations++;
        if (error != null) {
            error(error);
        } else {
            latencyMicros.recordValue(Math.max(1, nanos / 1_000));
        }
    }

    /** How long one server-sent event took from the upstream's write to the client. */
    public void recordEventDelay(long nanos) {
        eventDelayMicros.recordValue(Math.max(1, nanos / 1_000));
    }

    public void error(String error) {
        errors++;
        if (firstError == null) {
            firstError = error;
        }
    }

    public void addBytes(long n) {
        bytes += n;
    }

    /** A stream that delivered {@code n} events in {@code nanos}. */
    public void addEvents(long n, long nanos) {
        events += n;
        eventNanos += nanos;
    }

    /** A stream whose events arrived together instead of as they were sent. */
    public void addStream(boolean buffered) {
        streams++;
        if (buffered) {
            bufferedStreams++;
        }
    }

    public void addElapsed(long nanos) {
        elapsedNanos += nanos;
    }

    public void addUsage(ProxyMeter.Usage usage) {
        cpuSeconds += usage.cpuSeconds();
        peakRssKib = Math.max(peakRssKib, usage.peakRssKib());
        loadRssKib = Math.max(loadRssKib, usage.loadRssKib());
        peakFds = Math.max(peakFds, usage.peakFds());
    }

    public void add(Tally other) {
        latencyMicros.add(other.latencyMicros);
        eventDelayMicros.add(other.eventDelayMicros);
        operations += other.operations;
        errors += other.errors;
        bytes += other.bytes;
        events += other.events;
        eventNanos += other.eventNanos;
        streams += other.streams;
        bufferedStreams += other.bufferedStreams;
        elapsedNanos += other.elapsedNanos;
        cpuSeconds += other.cpuSeconds;
        peakRssKib = Math.max(peakRssKib, other.peakRssKib);
        loadRssKib = Math.max(loadRssKib, other.loadRssKib);
        peakFds = Math.max(peakFds, other.peakFds);
        if (firstError == null) {
            firstError = other.firstError;
        }
    }

    public long operations() {
        return operations;
    }

    public long errors() {
        return errors;
    }

    public long bytes() {
        return bytes;
    }

    public long streams() {
        return streams;
    }

    public long bufferedStreams() {
        return bufferedStreams;
    }

    public double elapsedSeconds() {
        return elapsedNanos / 1e9;
    }

    /** Successful operations per second of measured time. */
    public double perSecond() {
        return elapsedNanos == 0 ? 0 : (operations - errors) / elapsedSeconds();
    }

    public double mibPerSecond() {
        return elapsedNanos == 0 ? 0 : bytes / 1048576.0 / elapsedSeconds();
    }

    public double eventsPerSecond() {
        return eventNanos == 0 ? 0 : events / (eventNanos / 1e9);
    }

    /** Latency percentile in milliseconds; NaN when nothing succeeded. */
    public double percentileMillis(double p) {
        return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(p) / 1000.0;
    }

    /** Event delivery delay percentile in milliseconds; NaN when none was recorded. */
    public double eventDelayMillis(double p) {
        return eventDelayMicros.getTotalCount() == 0 ? Double.NaN : eventDelayMicros.getValueAtPercentile(p) / 1000.0;
    }

    public double cpuSeconds() {
        return cpuSeconds;
    }

    /** Proxy CPU seconds per 1,000 successful operations. */
    public double cpuSecondsPerThousand() {
        long ok = operations - errors;
        return ok == 0 ? Double.NaN : cpuSeconds * 1000 / ok;
    }

    /** Proxy CPU microseconds per successful operation. */
    public double cpuMicrosPerOperation() {
        long ok = operations - errors;
        return ok == 0 ? Double.NaN : cpuSeconds * 1e6 / ok;
    }

    /** Proxy CPU seconds per GiB moved. */
    public double cpuSecondsPerGib() {
        return bytes == 0 ? Double.NaN : cpuSeconds / (bytes / 1073741824.0);
    }

    public long peakRssKib() {
        return peakRssKib;
    }

    /** The proxy's median resident set over a measured segment (the largest such median of the segments). */
    public long loadRssKib() {
        return loadRssKib;
    }

    public int peakFds() {
        return peakFds;
    }

    public String firstError() {
        return firstError;
    }
}
