package io.credproxy.daemon.server;

import io.credproxy.daemon.identity.Caller;
import io.credproxy.daemon.pipeline.Connection;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.wire.ProxyIdentity;
import java.util.Optional;

/**
 * What one HTTP layer of a client connection knows: the {@link Connection} the stages see and,
 * inside an intercepted tunnel, which destination the CONNECT named, what it claimed in
 * {@code Proxy-Authorization} (requests in the tunnel are identified by it again, with the policy in
 * force for each) and who it was attributed to.
 *
 * <p>The CONNECT target is the only destination requests in the tunnel can reach and the only key
 * for their credentials. Confined to the connection's event loop.
 */
final class ClientConnection {
    private final Connection connection;
    private final HostPort connectTarget;
    private final Optional<ProxyIdentity> connectClaim;
    private final Caller connectCaller;
    private String sniHost;

    private ClientConnection(Connection connection, HostPort connectTarget, Optional<ProxyIdentity> connectClaim,
            Caller connectCaller) {
        this.connection = connection;
        this.connectTarget = connectTarget;
        this.connectClaim = connectClaim;
        this.connectCaller = connectCaller;
    }

    /** A connection to the proxy port, carrying absolute-form requests and CONNECTs. */
    static ClientConnection plain(Connection connection) {
        return new ClientConnection(connection, null, Optional.empty(), null);
    }

    /** A plain connection from {@code client} ({@code ip:port}) whose socket address is unknown (tests). */
    static ClientConnection plain(String client) {
        return plain(new Connection(null, client));
    }

    /** The decrypted side of a CONNECT to {@code target} that the daemon intercepts. */
    ClientConnection intercepted(HostPort target, Optional<ProxyIdentity> claim, Caller caller) {
        return new ClientConnection(connection, target, claim, caller);
    }

    /** The decrypted side of a CONNECT that claimed to be {@code app}, without a token or identification (tests). */
    ClientConnection intercepted(HostPort target, String app) {
        return intercepted(target, Optional.of(new ProxyIdentity(app, "")), Caller.claimed(app));
    }

    Connection connection() {
        return connection;
    }

    /** The client's {@code ip:port}. */
    String client() {
        return connection.client();
    }

    boolean isIntercepted() {
        return connectTarget != null;
    }

    HostPort connectTarget() {
        return connectTarget;
    }

    /** What the CONNECT claimed (agents identify themselves on the CONNECT, not inside the tunnel). */
    Optional<ProxyIdentity> connectClaim() {
        return connectClaim;
    }

    /** The app the CONNECT was attributed to. */
    String connectApp() {
        return connectCaller == null ? ProxyIdentity.UNKNOWN_APP : connectCaller.app();
    }

    /** Who the CONNECT was attributed to; {@code null} on the proxy port. */
    Caller connectCaller() {
        return connectCaller;
    }

    /** The TLS server name the client sent; {@code null} when none. */
    String sniHost() {
        return sniHost;
    }

    void sniHost(String name) {
        this.sniHost = name;
    }
}
