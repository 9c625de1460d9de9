package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Hook 1: keeps the proxy port under {@code limits.max_connections} client connections in all and
 * {@code limits.max_connections_per_peer} from one peer; a connection over either is closed at once,
 * before anything is read, and counted ({@link Limit#MAX_CONNECTIONS},
 * {@link Limit#MAX_CONNECTIONS_PER_PEER}).
 *
 * <p>A peer is what {@code peerKey} says: the client's IP address by default. A stage that knows
 * more about the peer (the kernel uid of a local client) runs before this one, puts it in a
 * {@link Connection} attribute, and the daemon builds this stage with a key that reads it. Counts
 * are exact under concurrency (every event loop shares them); a peer's entry goes when its last
 * connection does.
 */
public final class ConnectionLimitStage implements ConnectionHook {
    private static final AttributeKey<Object> COUNTED_AS = AttributeKey.valueOf("credproxy.connectionLimit.peer");
    private static final Object UNKNOWN_PEER = "unknown";

    private final int max;
    private final int maxPerPeer;
    private final Function<Connection, Object> peerKey;
    private final LimitMetrics metrics;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<Object, AtomicInteger> perPeer = new ConcurrentHashMap<>();

    public ConnectionLimitStage(int max, int maxPerPeer, Function<Connection, Object> peerKey, LimitMetrics metrics) {
        if (max < 1 || maxPerPeer < 1) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
        this.max = max;
        this.maxPerPeer = maxPerPeer;
        this.peerKey = Objects.requireNonNull(peerKey, "peerKey");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Keyed by the peer's IP address. */
    public ConnectionLimitStage(int max, int maxPerPeer, LimitMetrics metrics) {
        this(max, maxPerPeer, ConnectionLimitStage::peerAddress, metrics);
    }

    static Object peerAddress(Connection c) {
        InetSocketAddress peer = c.peer();
        return peer == null || peer.getAddress() == null ? UNKNOWN_PEER : peer.getAddress();
    }

    @Override
    public boolean onConnectionOpened(Connection connection) {
        if (total.incrementAndGet() > max) {
            total.decrementAndGet();
            metrics.rejected(Limit.MAX_CONNECTIONS);
            return false;
        }
        Object key = peerKey.apply(connection);
        AtomicInteger count = perPeer.compute(key, (k, c) -> {
            AtomicInteger n = c == null ? new AtomicInteger() : c;
            n.incrementAndGet();
            return n;
        });
        if (count.get() > maxPerPeer) {
            release(key);
            total.decrementAndGet();
            metrics.rejected(Limit.MAX_CONNECTIONS_PER_PEER);
            return false;
        }
        connection.attr(COUNTED_AS).set(key);
        return true;
    }

    @Override
    public void onConnectionClosed(Connection connection) {
        Object key = connection.attr(COUNTED_AS).getAndSet(null);
        if (key != null) {
            release(key);
            total.decrementAndGet();
        }
    }

    private void release(Object key) {
        perPeer.computeIfPresent(key, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** Connections counted now. */
    public int connections() {
        return total.get();
    }

    public int max() {
        return max;
    }

    /** Whether a new connection would be refused now. */
    public boolean full() {
        return total.get() >= max;
    }
}
