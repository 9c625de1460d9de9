package io.credproxy.daemon.server;

import io.credproxy.daemon.pipeline.Connection;
import io.credproxy.protocol.config.HostPort;

/**
 * What one HTTP layer of a client connection knows: the {@link Connection} the stages see and,
 * inside an intercepted tunnel, which destination the CONNECT named and which app asked.
 *
 * <p>The CONNECT target is the only destination requests in the tunnel can reach and the only key
 * for their credentials. Confined to the connection's event loop.
 */
final class ClientConnection {
    private final Connection connection;
    private final HostPort connectTarget;
    private final String connectApp;
    private String sniHost;

    private ClientConnection(Connection connection, HostPort connectTarget, String connectApp) {
        this.connection = connection;
        this.connectTarget = connectTarget;
        this.connectApp = connectApp;
    }

    /** A connection to the proxy port, carrying absolute-form requests and CONNECTs. */
    static ClientConnection plain(Connection connection) {
        return new ClientConnection(connection, null, null);
    }

    /** A plain connection from {@code client} ({@code ip:port}) whose socket address is unknown (tests). */
    static ClientConnection plain(String client) {
        return plain(new Connection(null, client));
    }

    /** The decrypted side of a CONNECT to {@code target} that the daemon intercepts. */
    ClientConnection intercepted(HostPort target, String app) {
        return new ClientConnection(connection, target, app);
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

    /** The app the CONNECT named (agents identify themselves on the CONNECT, not inside the tunnel). */
    String connectApp() {
        return connectApp;
    }

    /** The TLS server name the client sent; {@code null} when none. */
    String sniHost() {
        return sniHost;
    }

    void sniHost(String name) {
        this.sniHost = name;
    }
}
