package io.credproxy.daemon.egress;

import java.util.List;
import java.util.Objects;

/**
 * The {@code egress:} section: which destinations the daemon connects to at all.
 *
 * <pre>
 * egress:
 *   default: allow                 # allow | deny: hosts no rule below names
 *   allow: ["github.com", "*.pypi.org:443"]
 *   deny: ["*.internal"]           # wins over allow
 *   allow_addresses: ["10.20.0.0/16"]   # opt internal ranges in; never the daemon's own ports
 * </pre>
 *
 * @param defaultAllow whether a host no rule names is allowed ({@code default: allow})
 * @param allow hosts allowed when {@code default} is deny (no effect when it is allow)
 * @param deny hosts refused whatever {@code allow} and {@code default} say
 * @param allowAddresses address ranges opted in despite being loopback, private, link-local, ...
 */
public record EgressConfig(boolean defaultAllow, List<HostPattern> allow, List<HostPattern> deny, List<Cidr> allowAddresses) {

    public EgressConfig {
        allow = List.copyOf(Objects.requireNonNull(allow, "allow"));
        deny = List.copyOf(Objects.requireNonNull(deny, "deny"));
        allowAddresses = List.copyOf(Objects.requireNonNull(allowAddresses, "allowAddresses"));
    }

    /** Without an {@code egress:} section: every host allowed, no special range opted in. */
    public static EgressConfig defaults() {
        return new EgressConfig(true, List.of(), List.of(), List.of());
    }
}
