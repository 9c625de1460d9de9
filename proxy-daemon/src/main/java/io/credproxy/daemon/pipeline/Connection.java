package io.credproxy.daemon.pipeline;

import io.netty.util.DefaultAttributeMap;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One client connection to the proxy port, as every hook sees it: the peer's address, and
 * attributes that stages attach once (a peer's identity, a per-peer counter) for every later hook
 * of every exchange on the connection, intercepted tunnels included (they run on the same TCP
 * connection).
 *
 * <p>A {@link ConnectionHook} that must learn something slow about the peer (the kernel's word on
 * who owns its socket) does it off the event loop and holds back the first read until it is known
 * ({@link #readAfter}): nothing the client sends is read, so no later hook runs, before that.
 */
public final class Connection extends DefaultAttributeMap {
    private final InetSocketAddress peer;
    private final InetSocketAddress local;
    private final String client;
    private CompletableFuture<?> readable = CompletableFuture.completedFuture(null);

    /**
     * @param peer the client's socket address; {@code null} when unknown (embedded channels in tests)
     * @param local the daemon's address of this connection; {@code null} when unknown
     * @param client the client as logs and audit records show it, {@code ip:port}
     */
    public Connection(InetSocketAddress peer, InetSocketAddress local, String client) {
        this.peer = peer;
        this.local = local;
        this.client = Objects.requireNonNull(client, "client");
    }

    /** A connection whose local address is unknown (tests). */
    public Connection(InetSocketAddress peer, String client) {
        this(peer, null, client);
    }

    /** The client's socket address, or {@code null} when unknown. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** The daemon's address of this connection (the proxy port the client reached), or {@code null} when unknown. */
    public InetSocketAddress local() {
        return local;
    }

    /** {@code ip:port}, IPv6 in brackets. */
    public String client() {
        return client;
    }

    /**
     * Holds back reading from the client until {@code ready} completes; a {@code ready} that
     * completes exceptionally closes the connection. Only from {@link ConnectionHook#onConnectionOpened}.
     */
    public void readAfter(CompletableFuture<?> ready) {
        readable = CompletableFuture.allOf(readable, Objects.requireNonNull(ready, "ready"));
    }

    /** Completes when the connection may be read from (at once unless a hook called {@link #readAfter}). */
    public CompletableFuture<?> readable() {
        return readable;
    }

    @Override
    public String toString() {
        return client;
    }
}
