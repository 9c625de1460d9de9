package io.credproxy.daemon.server;

import io.credproxy.protocol.config.HostPort;

/**
 * What the daemon knows about one client connection: who it is and, inside an intercepted
 * tunnel, which destination the CONNECT named.
 *
 * <p>The CONNECT target is the only destination requests in the tunnel can reach and the only key
 * for their credentials. Confined to the connection's event loop.
 */
final class ClientConnection {
    private final String client;
    private final HostPort connectTarget;
    private final String connectApp;
    private String sniHost;

    private ClientConnection(String client, HostPort connectTarget, String connectApp) {
        this.client = client;
        this.connectTarget = connectTarget;
        this.connectApp = connectApp;
    }

    /** A connection to the proxy port, carrying absolute-form requests and CONNECTs. */
    static ClientConnection plain(String client) {
        return new ClientConnection(client, null, null);
    }

    /** The decrypted side of a CONNECT to {@code target} that the daemon intercepts. */
    ClientConnection intercepted(HostPort target, String app) {
        return new ClientConnection(client, target, app);
    }

    /** The client's {@code ip:port}. */
    String client() {
        return client;
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
