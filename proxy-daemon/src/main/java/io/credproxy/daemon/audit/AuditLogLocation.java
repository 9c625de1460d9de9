package io.credproxy.daemon.audit;

import io.credproxy.daemon.config.ProxyConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the audit log goes when the configuration does not say.
 *
 * <p>In order: the config key {@code audit_log:}; {@code $STATE_DIRECTORY/audit.jsonl} when systemd
 * sets {@code STATE_DIRECTORY} (a unit with {@code StateDirectory=}; the first entry when it lists
 * several); else {@code audit.jsonl} in the directory that holds {@code ca_dir} (for
 * {@code ca_dir: /var/lib/credproxy/ca}, {@code /var/lib/credproxy/audit.jsonl}).
 */
public final class AuditLogLocation {
    public static final String FILE_NAME = "audit.jsonl";
    public static final String STATE_DIRECTORY = "STATE_DIRECTORY";

    private AuditLogLocation() {}

    /** The audit log path for this configuration and environment. */
    public static Path resolve(ProxyConfig config, Map<String, String> environment) {
        if (config.auditLog() != null) {
            return Path.of(config.auditLog());
        }
        String state = environment.get(STATE_DIRECTORY);
        if (state != null && !state.isBlank()) {
            // systemd joins several StateDirectory= entries with ':'.
            String first = state.split(":", -1)[0];
            if (!first.isBlank()) {
                return Path.of(first).resolve(FILE_NAME);
            }
        }
        Path caDir = Path.of(config.caDir()).toAbsolutePath().normalize();
        Path beside = caDir.getParent() == null ? caDir : caDir.getParent();
        return beside.resolve(FILE_NAME);
    }

    /** {@link #resolve(ProxyConfig, Map)} with this process's environment. */
    public static Path resolve(ProxyConfig config) {
        return resolve(config, System.getenv());
    }
}
