package io.credproxy.bench.jmh;

import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-request cost of the metrics: {@link ProxyMetrics#record} of one finished exchange, as the
 * audit sink calls it once per request on the event loop.
 *
 * <p>The events cycle through a realistic label mix (4 apps, 8 hosts, a few decisions and
 * statuses), all already seen in setup, as in a daemon that has run for a while. Run with
 * {@code -prof gc} for the bytes allocated per call ({@code gc.alloc.rate.norm}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {
    private static final int EVENTS = 64;

    private final ProxyMetrics metrics = new ProxyMetrics();
    private final AuditEvent[] events = new AuditEvent[EVENTS];
    private int next;

    @Setup
    public void setUp() {
        Decision[] decisions = {Decision.INJECTED, Decision.INJECTED, Decision.TUNNEL, Decision.DENIED};
        int[] statuses = {200, 200, 0, 421};
        for (int i = 0; i < EVENTS; i++) {
            int kind = i % decisions.length;
            events[i] = new AuditEvent(i, "app-" + (i % 4), "127.0.0.1:50000", "GET", "https", "api" + (i % 8) + ".example.com",
                    443, "/v1/things", decisions[kind], List.of(), statuses[kind], 200, 1500, 3 + i % 40, null);
        }
        for (AuditEvent event : events) {
            metrics.record(event);
        }
    }

    @Benchmark
    public void record() {
        metrics.record(events[next]);
        next = (next + 1) % EVENTS;
    }
}
