package io.credproxy.daemon.metrics;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The meters every finished request or tunnel moves: its count by app, host, decision and status,
 * its bytes by app and direction, and its duration by app and decision.
 *
 * <p>The duration is a histogram with fixed buckets ({@link #DURATION_BUCKETS}), not percentiles
 * computed in the daemon: buckets add up across daemons and over time in PromQL
 * ({@code histogram_quantile}), percentiles do not. A tunnel's duration is its lifetime, so its
 * series ({@code decision="tunnel"}) sits mostly in the top buckets. Each label set's meters are
 * built once ({@link MeterCache}); app and host labels are capped by the caller's {@link BoundedLabel}s.
 */
final class RequestMeters {
    /** Upper bounds of the duration buckets, from a cached local answer to a long upstream call. */
    static final Duration[] DURATION_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(300),
    };
    /** The status key of a status outside 100-599 (label {@code other}). */
    private static final int ODD_STATUS = -1;

    private record RequestLabels(String app, String host, Decision decision, int status) {}

    private record DurationLabels(String app, Decision decision) {}

    private final BoundedLabel apps;
    private final BoundedLabel hosts;
    private final MeterCache<RequestLabels, Counter> requests;
    private final MeterCache<DurationLabels, Timer> durations;
    private final MeterCache<String, Counter> bytesUp;
    private final MeterCache<String, Counter> bytesDown;

    RequestMeters(MeterRegistry registry, BoundedLabel apps, BoundedLabel hosts) {
        this.apps = apps;
        this.hosts = hosts;
        this.requests = new MeterCache<>(l -> Counter.builder("credproxy.requests")
                .description("Requests and tunnels handled, by app, destination host, decision and status")
                .tag("app", l.app())
                .tag("host", l.host())
                .tag("decision", decision(l.decision()))
                .tag("status", l.status() == ODD_STATUS ? BoundedLabel.OTHER : Integer.toString(l.status()))
                .register(registry));
        this.durations = new MeterCache<>(l -> Timer.builder("credproxy.request.duration")
                .description("Time from a request's start to its last response byte (tunnels: open to close), by app and decision")
                .tag("app", l.app())
                .tag("decision", decision(l.decision()))
                .serviceLevelObjectives(DURATION_BUCKETS)
                .register(registry));
        this.bytesUp = new MeterCache<>(app -> bytes(registry, app, "up"));
        this.bytesDown = new MeterCache<>(app -> bytes(registry, app, "down"));
    }

    void record(AuditEvent event) {
        String app = apps.of(event.app());
        requests.get(new RequestLabels(app, hosts.of(event.host()), event.decision(), status(event.status()))).increment();
        durations.get(new DurationLabels(app, event.decision())).record(Math.max(0, event.durationMillis()), TimeUnit.MILLISECONDS);
        if (event.bytesUp() > 0) {
            bytesUp.get(app).increment(event.bytesUp());
        }
        if (event.bytesDown() > 0) {
            bytesDown.get(app).increment(event.bytesDown());
        }
    }

    private static Counter bytes(MeterRegistry registry, String app, String direction) {
        return Counter.builder("credproxy.bytes")
                .description("Bytes relayed, by app and direction (up: towards the upstream)")
                .baseUnit("bytes")
                .tag("app", app)
                .tag("direction", direction)
                .register(registry);
    }

    private static String decision(Decision decision) {
        return decision == null ? BoundedLabel.NONE : decision.wireName();
    }

    /** 0 (no status: a tunnel), 100-599, or {@link #ODD_STATUS}. */
    private static int status(int status) {
        return status == 0 || (status >= 100 && status <= 599) ? status : ODD_STATUS;
    }
}
