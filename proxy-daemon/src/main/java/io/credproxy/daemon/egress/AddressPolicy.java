package io.credproxy.daemon.egress;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether the daemon may connect to one resolved address: the check that runs after name
 * resolution, on exactly the address that will be connected to.
 *
 * <p>In order: the daemon's own endpoints are never reachable (a workload must not reach the admin
 * port's {@code POST /events} or loop CONNECTs through the proxy); then {@code allow_addresses}
 * opts ranges in; then anything that {@link SpecialAddresses} does not call public is refused.
 * An endpoint bound to a wildcard address (0.0.0.0 or ::) is reached through every local address
 * on its port, so there every loopback, unspecified or local-interface address on that port is
 * refused; a specific endpoint is refused by exact address and port, plus the unspecified address
 * (connecting to 0.0.0.0 reaches this host). {@code allow_addresses} matches the address as
 * connected: an IPv4 range does not open the 6to4 or NAT64 spelling of its addresses.
 */
public final class AddressPolicy {

    /** One of the daemon's own bound sockets; {@code role} names it in refusals ("proxy", "admin"). */
    public record Endpoint(String role, InetSocketAddress address) {
        public Endpoint {
            Objects.requireNonNull(role, "role");
            if (address == null || address.isUnresolved()) {
                throw new IllegalArgumentException("own endpoint must be a bound, resolved address");
            }
        }
    }

    /** The addresses of this machine's interfaces; read only when a destination port is one of ours. */
    @FunctionalInterface
    public interface LocalAddresses {
        Set<InetAddress> current();

        /** Every address of every interface, read from the system each time (no packet is sent). */
        static LocalAddresses system() {
            return () -> {
                Set<InetAddress> out = new HashSet<>();
                try {
                    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                        out.addAll(Collections.list(nif.getInetAddresses()));
                    }
                } catch (SocketException e) {
                    // Unknown interfaces: the own-port check below still refuses loopback and wildcard.
                }
                return out;
            };
        }
    }

    private final List<Cidr> allowAddresses;
    private final List<Endpoint> ownEndpoints;
    private final LocalAddresses localAddresses;

    public AddressPolicy(List<Cidr> allowAddresses, List<Endpoint> ownEndpoints, LocalAddresses localAddresses) {
        this.allowAddresses = List.copyOf(allowAddresses);
        this.ownEndpoints = List.copyOf(ownEndpoints);
        this.localAddresses = Objects.requireNonNull(localAddresses, "localAddresses");
    }

    /** Whether the daemon may open a connection to {@code address} on {@code port}. */
    public EgressDecision check(InetAddress address, int port) {
        String shown = InetAddresses.toAddrString(address);
        for (Endpoint own : ownEndpoints) {
            if (own.address().getPort() == port && reaches(address, own.address().getAddress())) {
                return EgressDecision.prohibitedAddress(
                        shown + " port " + port + " is the daemon's own " + own.role() + " endpoint");
            }
        }
        for (Cidr range : allowAddresses) {
            if (range.contains(address)) {
                return EgressDecision.allow();
            }
        }
        SpecialAddresses.Classification c = SpecialAddresses.classify(address);
        if (c.isPublic()) {
            return EgressDecision.allow();
        }
        String via = c.embedding() == null ? ""
                : " (" + c.embedding() + " spelling of " + InetAddresses.toAddrString(c.embeddedIpv4()) + ")";
        return EgressDecision.prohibitedAddress(shown + via + " is " + c.addressClass().description()
                + " (" + c.addressClass().reference() + ") and not in egress.allow_addresses");
    }

    private boolean reaches(InetAddress destination, InetAddress bound) {
        if (destination.isAnyLocalAddress() || destination.equals(bound)) {
            return true;
        }
        if (!bound.isAnyLocalAddress()) {
            return false;
        }
        return destination.isLoopbackAddress() || localAddresses.current().contains(destination);
    }
}
