package io.credproxy.daemon.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Binds the meters that describe the daemon rather than its traffic: which build runs, whether its
 * configuration reloads, when its CA expires. Each is read when scraped.
 *
 * <p>Timestamps are Unix seconds, as Prometheus' {@code time()} counts, so an alert is one
 * subtraction: {@code credproxy_ca_not_after_timestamp_seconds - time() < 30 * 86400}.
 */
public final class DaemonStateMeters {
    private DaemonStateMeters() {}

    /** {@code credproxy_build_info{version,commit,java_version} 1}: join it onto other series to see what runs. */
    public static void bindBuildInfo(ProxyMetrics metrics, String version, String commit, String javaVersion) {
        Gauge.builder("credproxy.build.info", () -> 1)
                .description("Always 1; the labels name the running build")
                .tag("version", Objects.requireNonNull(version, "version"))
                .tag("commit", Objects.requireNonNull(commit, "commit"))
                .tag("java_version", Objects.requireNonNull(javaVersion, "javaVersion"))
                .strongReference(true)
                .register(metrics.registry());
    }

    /** {@code credproxy_ca_not_after_timestamp_seconds}: when the interception CA stops being valid. */
    public static void bindCaNotAfter(ProxyMetrics metrics, Instant notAfter) {
        double seconds = Objects.requireNonNull(notAfter, "notAfter").getEpochSecond();
        Gauge.builder("credproxy.ca.not.after.timestamp.seconds", () -> seconds)
                .description("When the interception CA certificate expires (Unix seconds); after it, no client trusts the leaves")
                .strongReference(true)
                .register(metrics.registry());
    }

    /**
     * {@code credproxy_config_reload_failures_total} and
     * {@code credproxy_config_last_reload_success_timestamp_seconds} (the start counts as the first success).
     *
     * @param failures reloads refused since the start
     * @param lastSuccess when the policy in force was loaded
     */
    public static void bindConfigReloads(ProxyMetrics metrics, LongSupplier failures, Supplier<Instant> lastSuccess) {
        Objects.requireNonNull(failures, "failures");
        Objects.requireNonNull(lastSuccess, "lastSuccess");
        FunctionCounter.builder("credproxy.config.reload.failures", failures, LongSupplier::getAsLong)
                .description("Configuration or secrets reloads refused (the rules in force stayed)")
                .register(metrics.registry());
        metrics.hold(failures);
        Gauge.builder("credproxy.config.last.reload.success.timestamp.seconds", lastSuccess, s -> s.get().toEpochMilli() / 1000.0)
                .description("When the rules and secrets in force were loaded (Unix seconds): the start or the last successful reload")
                .strongReference(true)
                .register(metrics.registry());
    }
}
