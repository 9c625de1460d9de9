package io.credproxy.daemon.pipeline;

import io.netty.util.DefaultAttributeMap;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One client connection to the proxy port, as every hook sees it: the peer's address, and
 * attributes that stages attach once (a peer's identity, a per-peer counter) for every later hook
 * of every exchange on the connection, intercepted tunnels included (they run on the same TCP
 * connection).
 */
public final class Connection extends DefaultAttributeMap {
    private final InetSocketAddress peer;
    private final String client;

    /**
     * @param peer the client's socket address; {@code null} when unknown (embedded channels in tests)
     * @param client the client as logs and audit records show it, {@code ip:port}
     */
    public Connection(InetSocketAddress peer, String client) {
        this.peer = peer;
        this.client = Objects.requireNonNull(client, "client");
    }

    /** The client's socket address, or {@code null} when unknown. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** {@code ip:port}, IPv6 in brackets. */
    public String client() {
        return client;
    }

    @Override
    public String toString() {
        return client;
    }
}
