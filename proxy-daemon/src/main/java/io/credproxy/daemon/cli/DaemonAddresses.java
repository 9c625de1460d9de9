package io.credproxy.daemon.cli;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.daemon.config.ProxyConfig;
import java.nio.file.Path;

/**
 * Where the daemon listens, for the verbs that set up its clients ({@code env}, {@code fence}):
 * from its configuration file when one is named, otherwise the defaults.
 *
 * <p>The file is read with the daemon's own loader, so a file the daemon would refuse is refused
 * here too; only {@code listen} and {@code admin} are used (the secrets are not read).
 */
record DaemonAddresses(HostPort listen, HostPort admin) {
    static DaemonAddresses of(Path config) throws ConfigException {
        if (config == null) {
            return new DaemonAddresses(ProxyConfig.DEFAULT_LISTEN, ProxyConfig.DEFAULT_ADMIN);
        }
        var loaded = new ConfigLoader().load(config);
        return new DaemonAddresses(loaded.listen(), loaded.admin());
    }

    /** How a client reaches an address the daemon listens on: a wildcard listen address means loopback. */
    static HostPort connectable(HostPort listen) {
        return switch (listen.host()) {
            case "0.0.0.0" -> new HostPort("127.0.0.1", listen.port());
            case "::", "0:0:0:0:0:0:0:0" -> new HostPort("::1", listen.port());
            default -> listen;
        };
    }
}
