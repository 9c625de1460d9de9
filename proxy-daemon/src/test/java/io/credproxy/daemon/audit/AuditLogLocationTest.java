package io.credproxy.daemon.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.config.UpstreamConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditLogLocationTest {

    @Test
    void theConfigKeyWins() {
        assertThat(AuditLogLocation.resolve(config("/var/log/credproxy/audit.jsonl"), Map.of("STATE_DIRECTORY", "/var/lib/x")))
                .isEqualTo(Path.of("/var/log/credproxy/audit.jsonl"));
    }

    @Test
    void systemdStateDirectoryIsUsedNextAndItsFirstEntryWhenSeveral() {
        assertThat(AuditLogLocation.resolve(config(null), Map.of("STATE_DIRECTORY", "/var/lib/credproxy")))
                .isEqualTo(Path.of("/var/lib/credproxy/audit.jsonl"));
        assertThat(AuditLogLocation.resolve(config(null), Map.of("STATE_DIRECTORY", "/var/lib/a:/var/lib/b")))
                .isEqualTo(Path.of("/var/lib/a/audit.jsonl"));
    }

    @Test
    void otherwiseBesideTheCaDirectory() {
        assertThat(AuditLogLocation.resolve(config(null), Map.of())).isEqualTo(Path.of("/srv/credproxy/audit.jsonl"));
        assertThat(AuditLogLocation.resolve(config(null), Map.of("STATE_DIRECTORY", " "))).isEqualTo(Path.of("/srv/credproxy/audit.jsonl"));
    }

    private static ProxyConfig config(String auditLog) {
        return new ProxyConfig(ProxyConfig.DEFAULT_LISTEN, ProxyConfig.DEFAULT_ADMIN, "/etc/secrets", "/srv/credproxy/ca",
                auditLog, UpstreamConfig.defaults(), List.of());
    }
}
