package io.credproxy.daemon.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Live connection counts, for metrics: client connections, tunnels, upstream connections.
 *
 * <p>Plain counters updated from the event loops; reading them is cheap and never blocks.
 */
public final class ProxyStats {
    private final AtomicLong clientConnections = new AtomicLong();
    private final AtomicLong tunnels = new AtomicLong();
    private final AtomicLong upstreamConnections = new AtomicLong();

    void clientOpened() {
        clientConnections.incrementAndGet();
    }

    void clientClosed() {
        clientConnections.decrementAndGet();
    }

    void tunnelOpened() {
        tunnels.incrementAndGet();
    }

    void tunnelClosed() {
        tunnels.decrementAndGet();
    }

    void upstreamOpened() {
        upstreamConnections.incrementAndGet();
    }

    void upstreamClosed() {
        upstreamConnections.decrementAndGet();
    }

    /** Open client connections to the proxy port. */
    public long clientConnections() {
        return clientConnections.get();
    }

    /** Open opaque tunnels (CONNECT to hosts without a rule). */
    public long tunnels() {
        return tunnels.get();
    }

    /** Open connections to upstream servers, pooled ones included. */
    public long upstreamConnections() {
        return upstreamConnections.get();
    }
}
