package io.credproxy.daemon.egress;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The whole egress decision for one requested {@code host:port}: read the host
 * ({@link HostLiteral}), apply the host rules ({@link EgressRules}), resolve a name once, judge
 * every address ({@link AddressPolicy}), and hand back the exact addresses to connect to.
 *
 * <p>No DNS-rebinding window: the {@link InetSocketAddress}es returned are built from the judged
 * {@link InetAddress} objects (already resolved, so no connector looks the name up again). The
 * caller must connect only to these and must not pass the host name to a connector. A name that
 * resolves to some refused and some allowed addresses is narrowed to the allowed ones, in the
 * resolver's order; when none is allowed the first refusal is returned. {@code upstream.resolve}
 * entries are the operator's and are exempt: the caller should not ask this class about them.
 */
public final class EgressGuard {

    /** Name to addresses; blocking. Tests pass a map, the daemon the system resolver. */
    @FunctionalInterface
    public interface NameResolver {
        List<InetAddress> resolve(String asciiName) throws UnknownHostException;

        static NameResolver system() {
            return name -> Arrays.asList(InetAddress.getAllByName(name));
        }
    }

    /** The outcome: connect to one of {@code addresses} in order, or answer with the refusal. */
    public sealed interface Verdict {
        /** @param canonicalHost the host as rules and audit see it */
        record Connect(String canonicalHost, List<InetSocketAddress> addresses) implements Verdict {
            public Connect {
                addresses = List.copyOf(addresses);
            }
        }

        record Refuse(EgressDecision decision) implements Verdict {}
    }

    private final EgressRules rules;
    private final AddressPolicy addresses;
    private final NameResolver resolver;

    public EgressGuard(EgressRules rules, AddressPolicy addresses, NameResolver resolver) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** Decides {@code host:port}; may block on the resolver when the host is a name. */
    public Verdict decide(String host, int port) {
        HostLiteral literal;
        try {
            literal = HostLiteral.parse(host);
        } catch (InvalidHostException e) {
            return new Verdict.Refuse(EgressDecision.invalidHost("invalid host: " + e.getMessage()));
        }
        EgressDecision byHost = rules.decide(literal.canonical(), port);
        if (!byHost.allowed()) {
            return new Verdict.Refuse(byHost);
        }
        List<InetAddress> candidates;
        if (literal instanceof HostLiteral.Address a) {
            candidates = List.of(a.address());
        } else {
            try {
                candidates = resolver.resolve(literal.canonical());
            } catch (UnknownHostException e) {
                return new Verdict.Refuse(EgressDecision.unresolvable(literal.canonical() + " does not resolve"));
            }
        }
        return judge(literal.canonical(), candidates, port);
    }

    /** Judges addresses resolved elsewhere (e.g. by Netty's resolver) for {@code canonicalHost}. */
    public Verdict judge(String canonicalHost, List<InetAddress> candidates, int port) {
        List<InetSocketAddress> allowed = new ArrayList<>();
        EgressDecision firstRefusal = null;
        for (InetAddress address : candidates) {
            EgressDecision d = addresses.check(address, port);
            if (d.allowed()) {
                allowed.add(new InetSocketAddress(address, port));
            } else if (firstRefusal == null) {
                firstRefusal = d;
            }
        }
        if (!allowed.isEmpty()) {
            return new Verdict.Connect(canonicalHost, allowed);
        }
        if (firstRefusal == null) {
            return new Verdict.Refuse(EgressDecision.unresolvable(canonicalHost + " resolved to no address"));
        }
        boolean literal = candidates.size() == 1 && canonicalHost.equals(InetAddresses.toAddrString(candidates.get(0)));
        return new Verdict.Refuse(literal ? firstRefusal
                : EgressDecision.prohibitedAddress(canonicalHost + ": " + firstRefusal.reason()));
    }
}
