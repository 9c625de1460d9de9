package io.credproxy.daemon.config;

import io.credproxy.daemon.egress.EgressConfig;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.protocol.config.HostPort;
import java.util.List;
import java.util.Objects;

/**
 * The daemon's whole configuration, as read from its YAML file and validated.
 *
 * @param listen where the proxy accepts clients
 * @param admin where the admin endpoint ({@code /ca.pem}, {@code /healthz}, ...) listens
 * @param secrets where secret values come from: a file path, or {@code systemd-credential:NAME}
 * @param caDir directory of the interception CA (created on first start, key mode 0600)
 * @param auditLog the audit log file; {@code null} means the default under the state directory
 * @param upstream how upstream servers are reached and verified
 * @param rules the injection rules, in file order
 * @param egress which destinations the daemon connects to at all ({@code egress:})
 * @param limits timeouts and resource limits on what clients may hold
 * @param identity the apps and how peers are identified ({@link IdentityConfig#OFF}: names as claimed)
 */
public record ProxyConfig(
        HostPort listen,
        HostPort admin,
        String secrets,
        String caDir,
        String auditLog,
        UpstreamConfig upstream,
        List<Rule> rules,
        EgressConfig egress, LimitsConfig limits, IdentityConfig identity) {

    public static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 18080);
    public static final HostPort DEFAULT_ADMIN = new HostPort("127.0.0.1", 18081);

    public ProxyConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(caDir, "caDir");
        Objects.requireNonNull(upstream, "upstream");
        rules = List.copyOf(rules);
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(limits, "limits");
        identity = identity == null ? IdentityConfig.OFF : identity;
    }

    /** A configuration without {@code egress:}, {@code limits:}, {@code apps:} or {@code identity:} sections (their defaults). */
    public ProxyConfig(HostPort listen, HostPort admin, String secrets, String caDir, String auditLog, UpstreamConfig upstream,
            List<Rule> rules) {
        this(listen, admin, secrets, caDir, auditLog, upstream, rules, EgressConfig.defaults(), LimitsConfig.defaults(),
                IdentityConfig.OFF);
    }

    /** A configuration with {@code apps:} and {@code identity:} and the defaults for the rest. */
    public ProxyConfig(HostPort listen, HostPort admin, String secrets, String caDir, String auditLog, UpstreamConfig upstream,
            List<Rule> rules, IdentityConfig identity) {
        this(listen, admin, secrets, caDir, auditLog, upstream, rules, EgressConfig.defaults(), LimitsConfig.defaults(), identity);
    }

    public ProxyConfig withListen(HostPort newListen) {
        return new ProxyConfig(newListen, admin, secrets, caDir, auditLog, upstream, rules, egress, limits, identity);
    }

    public ProxyConfig withAdmin(HostPort newAdmin) {
        return new ProxyConfig(listen, newAdmin, secrets, caDir, auditLog, upstream, rules, egress, limits, identity);
    }

    public ProxyConfig withLimits(LimitsConfig newLimits) {
        return new ProxyConfig(listen, admin, secrets, caDir, auditLog, upstream, rules, egress, newLimits, identity);
    }

    public ProxyConfig withEgress(EgressConfig newEgress) {
        return new ProxyConfig(listen, admin, secrets, caDir, auditLog, upstream, rules, newEgress, limits, identity);
    }
}
