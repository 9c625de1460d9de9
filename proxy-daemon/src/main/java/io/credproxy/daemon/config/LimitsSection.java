package io.credproxy.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The {@code limits:} section of the configuration, each value a positive whole number, each error
 * naming its key ({@code limits.idle_timeout_ms}). A key left out keeps its default
 * ({@link LimitsConfig#defaults()}).
 */
final class LimitsSection {
    static final Set<String> KEYS = Set.of("header_timeout_ms", "idle_timeout_ms", "tunnel_idle_timeout_ms",
            "max_connections", "max_connections_per_peer", "max_buffered_head_bytes", "shutdown_grace_ms",
            "admin_max_connections", "events_per_second", "events_burst");
    private static final String PREFIX = "limits.";
    /** A day: longer timeouts are almost certainly a unit mistake (seconds written as milliseconds times 1000). */
    private static final long MAX_MILLIS = 86_400_000;

    private LimitsSection() {}

    static LimitsConfig parse(JsonNode node) throws ConfigException {
        LimitsConfig d = LimitsConfig.defaults();
        if (node == null || node.isNull()) {
            return d;
        }
        if (!node.isObject()) {
            throw new ConfigException("limits: expected a mapping");
        }
        ConfigLoader.requireKnownKeys(node, KEYS, PREFIX);
        return new LimitsConfig(
                (int) number(node, "header_timeout_ms", d.headerTimeoutMillis(), 1, MAX_MILLIS),
                (int) number(node, "idle_timeout_ms", d.idleTimeoutMillis(), 1, MAX_MILLIS),
                (int) number(node, "tunnel_idle_timeout_ms", d.tunnelIdleTimeoutMillis(), 1, MAX_MILLIS),
                (int) number(node, "max_connections", d.maxConnections(), 1, Integer.MAX_VALUE),
                (int) number(node, "max_connections_per_peer", d.maxConnectionsPerPeer(), 1, Integer.MAX_VALUE),
                number(node, "max_buffered_head_bytes", d.maxBufferedHeadBytes(), 64 * 1024, Long.MAX_VALUE),
                (int) number(node, "shutdown_grace_ms", d.shutdownGraceMillis(), 0, MAX_MILLIS),
                (int) number(node, "admin_max_connections", d.adminMaxConnections(), 1, 65_536),
                (int) number(node, "events_per_second", d.eventsPerSecond(), 1, 1_000_000),
                (int) number(node, "events_burst", d.eventsBurst(), 1, 1_000_000));
    }

    private static long number(JsonNode node, String key, long fallback, long min, long max) throws ConfigException {
        if (!node.hasNonNull(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw new ConfigException(PREFIX + key + ": expected a whole number from " + min + " to " + max);
        }
        return v.asLong();
    }
}
