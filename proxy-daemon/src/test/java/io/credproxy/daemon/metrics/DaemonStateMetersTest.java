package io.credproxy.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DaemonStateMetersTest {
    private final ProxyMetrics metrics = new ProxyMetrics();

    @Test
    void buildInfoIsOneWithTheBuildInItsLabels() {
        DaemonStateMeters.bindBuildInfo(metrics, "1.2.3", "abc1234", "17.0.15");

        assertThat(metrics.scrape())
                .contains("credproxy_build_info{commit=\"abc1234\",java_version=\"17.0.15\",version=\"1.2.3\"} 1");
    }

    @Test
    void theCaExpiryIsItsNotAfterInUnixSeconds() {
        DaemonStateMeters.bindCaNotAfter(metrics, Instant.parse("2036-01-02T03:04:05Z"));

        assertThat(metrics.scrape()).contains("credproxy_ca_not_after_timestamp_seconds 2.082855845E9");
    }

    @Test
    void reloadFailuresAndTheLastSuccessAreReadWhenScraped() {
        AtomicLong failures = new AtomicLong();
        AtomicReference<Instant> loaded = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00.250Z"));
        DaemonStateMeters.bindConfigReloads(metrics, failures::get, loaded::get);
        System.gc(); // the suppliers are lambdas nobody else holds: they must survive

        String atStart = metrics.scrape();
        failures.set(3);
        loaded.set(Instant.parse("2026-01-01T00:01:40Z"));
        String later = metrics.scrape();

        assertThat(atStart).contains("credproxy_config_reload_failures_total 0.0")
                .contains("credproxy_config_last_reload_success_timestamp_seconds 1.76722560025E9");
        assertThat(later).contains("credproxy_config_reload_failures_total 3.0")
                .contains("credproxy_config_last_reload_success_timestamp_seconds 1.7672257E9");
    }
}
