package io.credproxy.daemon.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * What the daemon's limits did, and the resources they protect, on the metrics registry.
 *
 * <p>Series: {@code credproxy_limit_rejections_total{limit}} (one per {@link Limit}, at 0 from the
 * start), {@code credproxy_netty_direct_memory_bytes} (what Netty's default allocator holds in
 * direct memory), {@code credproxy_buffered_head_bytes} and {@code credproxy_connections_max}; the
 * descriptors come with {@link ProxyMetrics} ({@code process_open_fds}, {@code process_max_fds}). Thread-safe.
 */
public final class LimitMetrics {
    private final MeterRegistry registry;
    private final Map<Limit, Counter> rejections = new EnumMap<>(Limit.class);
    private final List<Object> keepAlive = new CopyOnWriteArrayList<>();

    public LimitMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        for (Limit limit : Limit.values()) {
            rejections.put(limit, Counter.builder("credproxy.limit.rejections")
                    .description("Clients refused, cut off or answered early because of a limit, by limit")
                    .tag("limit", limit.metricName())
                    .register(registry));
        }
        Gauge.builder("credproxy.netty.direct.memory", LimitMetrics::nettyDirectMemory)
                .description("Direct memory held by Netty's default buffer allocator")
                .baseUnit("bytes")
                .register(registry);
    }

    /** Counts one rejection (or {@code n}, for limits counted per event). */
    public void rejected(Limit limit) {
        rejections.get(limit).increment();
    }

    public void rejected(Limit limit, long n) {
        if (n > 0) {
            rejections.get(limit).increment(n);
        }
    }

    /** Rejections so far, for tests and health checks. */
    public long rejections(Limit limit) {
        return (long) rejections.get(limit).count();
    }

    /** Exports the bytes of partial request heads held now. */
    public void bindBufferedHeadBytes(LongSupplier bytes) {
        Gauge.builder("credproxy.buffered.head", bytes, s -> s.getAsLong())
                .description("Bytes of partly received request heads held across client connections")
                .baseUnit("bytes")
                .strongReference(true)
                .register(registry);
    }

    /** Exports how many agent events the audit log left out, their share of the file being used up ({@code AuditLog::agentEventsOverShare}). */
    public void bindAuditShareDrops(LongSupplier dropped) {
        FunctionCounter.builder("credproxy.audit.agent.events.over.share", dropped, LongSupplier::getAsLong)
                .description("Agent events left out of the audit log: agent events had used up their share of the file")
                .register(registry);
        keepAlive.add(dropped); // function counters hold their object weakly
    }

    /** Exports the client connection limit in force. */
    public void bindMaxConnections(int max) {
        Gauge.builder("credproxy.connections.max", () -> max)
                .description("Client connections the proxy port accepts at once (limits.max_connections)")
                .register(registry);
    }

    /** Direct memory held by Netty's default allocator; -1 when it does not say. */
    public static long nettyDirectMemory() {
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            return provider.metric().usedDirectMemory();
        }
        return -1;
    }
}
