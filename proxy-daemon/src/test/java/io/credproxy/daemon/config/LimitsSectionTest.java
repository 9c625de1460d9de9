package io.credproxy.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LimitsSectionTest {
    private static final Path BASE = Path.of("/etc/credproxy");
    private static final String MINIMAL = "secrets: env\nca_dir: ca\n";
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void withoutTheSectionEveryLimitHasItsSafeDefault() throws Exception {
        LimitsConfig limits = loader.parse(MINIMAL, BASE).limits();

        assertThat(limits).isEqualTo(LimitsConfig.defaults());
        assertThat(limits.headerTimeoutMillis()).isEqualTo(10_000);
        assertThat(limits.idleTimeoutMillis()).isEqualTo(60_000);
        assertThat(limits.shutdownGraceMillis()).isEqualTo(10_000);
    }

    @Test
    void readsEveryKey() throws Exception {
        LimitsConfig limits = loader.parse(MINIMAL + """
                limits:
                  header_timeout_ms: 2000
                  idle_timeout_ms: 30000
                  tunnel_idle_timeout_ms: 900000
                  max_connections: 5000
                  max_connections_per_peer: 100
                  max_buffered_head_bytes: 8388608
                  shutdown_grace_ms: 0
                  admin_max_connections: 8
                  events_per_second: 5
                  events_burst: 50
                """, BASE).limits();

        assertThat(limits).isEqualTo(new LimitsConfig(2000, 30000, 900000, 5000, 100, 8388608, 0, 8, 5, 50));
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> loader.parse(MINIMAL + "limits:\n  idle_timeout_ms: 0\n", BASE))
                .hasMessage("limits.idle_timeout_ms: expected a whole number from 1 to 86400000");
        assertThatThrownBy(() -> loader.parse(MINIMAL + "limits:\n  header_timeout_ms: \"10s\"\n", BASE))
                .hasMessageStartingWith("limits.header_timeout_ms: expected a whole number");
        assertThatThrownBy(() -> loader.parse(MINIMAL + "limits:\n  max_connections: 1.5\n", BASE))
                .hasMessageStartingWith("limits.max_connections: expected a whole number");
        assertThatThrownBy(() -> loader.parse(MINIMAL + "limits:\n  idle_timeout: 5\n", BASE))
                .hasMessageStartingWith("unknown key 'limits.idle_timeout'");
        assertThatThrownBy(() -> loader.parse(MINIMAL + "limits: [1]\n", BASE)).hasMessage("limits: expected a mapping");
    }

    @Test
    void derivedSizesFollowTheDescriptorLimitAndTheHeap() {
        LimitsConfig d = LimitsConfig.defaults();
        long mib = 1024 * 1024;

        LimitsConfig small = d.resolve(1024, 256 * mib);
        assertThat(small.maxConnections()).as("(1024 - 256 - 64) / 2").isEqualTo(352);
        assertThat(small.maxConnectionsPerPeer()).isEqualTo(176);
        assertThat(small.maxBufferedHeadBytes()).isEqualTo(32 * mib);

        LimitsConfig roomy = d.resolve(65536, 256 * mib);
        assertThat(roomy.maxConnections()).as("a quarter of the heap at 16 KiB each").isEqualTo(4096);

        assertThat(d.resolve(-1, 64 * mib).maxConnections()).as("descriptor limit unknown").isEqualTo(1024);
        assertThat(d.resolve(300, 64 * mib).maxConnections()).as("never below 16").isEqualTo(16);
        assertThat(new LimitsConfig(1, 1, 1, 50, 80, 0, 0, 1, 1, 1).resolve(65536, 256 * mib).maxConnectionsPerPeer())
                .as("per peer at most the total").isEqualTo(50);
    }
}
