package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.identity.Caller;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.protocol.config.HostPort;
import java.util.Objects;

/**
 * Where a client wants to go, as the proxy learned it: the real destination (from the CONNECT
 * authority or the absolute-form URL, never from a Host header), who asks, and the policy in
 * force when it was learned.
 *
 * @param connection the client connection
 * @param caller who asks: the app the request counts for (the name the agent claims in
 *     {@code Proxy-Authorization}, on the CONNECT for a tunnel, or {@code unknown}; with {@code apps:}
 *     configured, the app the kernel vouches for), and what was claimed
 * @param destination the real destination, host normalized
 * @param kind how the destination was named
 * @param method the request's method ({@code CONNECT} for a CONNECT)
 * @param policy the policy in force for this decision (read once, so a reload never mixes two)
 */
public record Target(Connection connection, Caller caller, HostPort destination, Kind kind, String method, Policy policy) {
    /** How the destination was named. */
    public enum Kind {
        /** A CONNECT: the tunnel is intercepted, tunneled or refused as a whole. */
        CONNECT,
        /** A request inside an intercepted tunnel: its destination is the CONNECT's. */
        INTERCEPTED,
        /** An absolute-form {@code http://} request on the proxy port. */
        HTTP
    }

    public Target {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(policy, "policy");
    }

    /** A target whose app is the name the client claimed (no identification: tests, and {@code apps:} absent). */
    public Target(Connection connection, String app, HostPort destination, Kind kind, String method, Policy policy) {
        this(connection, Caller.claimed(app), destination, kind, method, policy);
    }

    /** The app the request counts for. */
    public String app() {
        return caller.app();
    }
}
