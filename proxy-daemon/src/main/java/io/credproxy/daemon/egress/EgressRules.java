package io.credproxy.daemon.egress;

/**
 * The host half of the egress policy: decides on the name the client asked for, before any lookup.
 *
 * <p>{@code deny} wins; then {@code allow}; then {@code default}. Pure and thread-safe.
 */
public final class EgressRules {
    private final EgressConfig config;

    public EgressRules(EgressConfig config) {
        this.config = config;
    }

    /** The decision for a canonical host ({@link HostLiteral#canonical()}) and port. */
    public EgressDecision decide(String canonicalHost, int port) {
        for (HostPattern p : config.deny()) {
            if (p.matches(canonicalHost, port)) {
                return EgressDecision.deniedHost(target(canonicalHost, port) + " matches egress.deny " + p);
            }
        }
        if (config.defaultAllow()) {
            return EgressDecision.allow();
        }
        for (HostPattern p : config.allow()) {
            if (p.matches(canonicalHost, port)) {
                return EgressDecision.allow();
            }
        }
        return EgressDecision.deniedHost(target(canonicalHost, port) + " is not in egress.allow (egress.default is deny)");
    }

    private static String target(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
