package io.credproxy.daemon.server;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live connection counts and failure counts: the one place the server reports to, read by the
 * metrics.
 *
 * <p>Plain counters updated from the event loops; reading them is cheap and never blocks. Client
 * connections opening and closing and every {@link ProxyError} are also passed to a
 * {@link Listener} (the daemon's metrics), so the server itself calls nothing else.
 */
public final class ProxyStats {
    /**
     * Told of client connections and failures as they happen; called on event loops, so it must be
     * fast and must never throw.
     */
    public interface Listener {
        void connectionOpened();

        void connectionClosed();

        void error(ProxyError kind);
    }

    private static final Listener NONE = new Listener() {
        @Override
        public void connectionOpened() {}

        @Override
        public void connectionClosed() {}

        @Override
        public void error(ProxyError kind) {}
    };

    private final Listener listener;
    private final AtomicLong clientConnections = new AtomicLong();
    private final AtomicLong tunnels = new AtomicLong();
    private final AtomicLong upstreamConnections = new AtomicLong();
    private final Map<ProxyError, LongAdder> errors = new EnumMap<>(ProxyError.class);

    /** Counts without telling anyone (unit tests). */
    public ProxyStats() {
        this(NONE);
    }

    public ProxyStats(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        for (ProxyError kind : ProxyError.values()) {
            errors.put(kind, new LongAdder());
        }
    }

    void clientOpened() {
        clientConnections.incrementAndGet();
        listener.connectionOpened();
    }

    void clientClosed() {
        clientConnections.decrementAndGet();
        listener.connectionClosed();
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

    void error(ProxyError kind) {
        errors.get(kind).increment();
        listener.error(kind);
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

    /** Failures of this kind so far. */
    public long errors(ProxyError kind) {
        return errors.get(kind).sum();
    }
}
