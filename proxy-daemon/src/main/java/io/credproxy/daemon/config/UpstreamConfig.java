package io.credproxy.daemon.config;

import io.credproxy.protocol.config.HostPort;
import java.util.List;
import java.util.Map;

/**
 * How the daemon reaches upstream servers.
 *
 * @param extraCa PEM files trusted besides the JDK's default trust store (never instead of it)
 * @param resolve fixed addresses for {@code host:port} keys, like {@code curl --resolve}; the TLS
 *     host name checked stays the original host
 * @param connectTimeoutMillis TCP connect timeout
 * @param responseTimeoutMillis how long the daemon waits for an upstream's response headers before 504
 */
public record UpstreamConfig(
        List<String> extraCa,
        Map<HostPort, HostPort> resolve,
        int connectTimeoutMillis,
        int responseTimeoutMillis) {

    public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
    public static final int DEFAULT_RESPONSE_TIMEOUT_MILLIS = 60_000;

    public UpstreamConfig {
        extraCa = List.copyOf(extraCa);
        resolve = Map.copyOf(resolve);
    }

    public static UpstreamConfig defaults() {
        return new UpstreamConfig(List.of(), Map.of(), DEFAULT_CONNECT_TIMEOUT_MILLIS, DEFAULT_RESPONSE_TIMEOUT_MILLIS);
    }
}
