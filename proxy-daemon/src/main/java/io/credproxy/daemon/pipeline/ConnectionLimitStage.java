package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.identity.PeerUser;
import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hook 1: keeps the proxy port under {@code limits.max_connections} client connections in all and
 * {@code limits.max_connections_per_peer} from one peer; a connection over either is closed before
 * anything is read, and counted ({@link Limit#MAX_CONNECTIONS}, {@link Limit#MAX_CONNECTIONS_PER_PEER}).
 *
 * <p>A peer is the client's IP address, except where the kernel named the local user that owns the
 * client's socket ({@link IdentityStage}, on while the policy has {@code apps:}): then the peer is that
 * uid <em>instead of</em> the address, so on 127.0.0.1, where every local client shares one address,
 * one user filling its share does not lock the others out. A peer the lookup could not name (a
 * remote address, a lookup that failed or timed out) keeps its address as key: such peers share one
 * share per address, as without identification. The total is taken when the connection opens; the
 * share once the uid is known, which {@link IdentityStage} makes happen before the first read
 * ({@link Connection#readAfter}), so a connection over its user's share is closed before a byte of
 * it is read. While the lookup runs (milliseconds) the connection counts only in the total.
 *
 * <p>Counts are exact under concurrency (every event loop and the lookup's thread share them): the
 * {@code COUNTED_AS} attribute says what a connection holds, and a compare-and-set between the lookup
 * answering and the connection closing decides which of the two gives the share back, so a count
 * taken is released exactly once and one never taken is never released. A peer's entry goes when its
 * last connection does. Without identification the path is the old one and allocates nothing more.
 */
public final class ConnectionLimitStage implements ConnectionHook {
    private static final AttributeKey<Object> COUNTED_AS = AttributeKey.valueOf("credproxy.connectionLimit.peer");
    /** {@code COUNTED_AS} while the uid lookup runs: counted in the total, not yet in a share. */
    private static final Object AWAITING_USER = "awaiting user";
    /** {@code COUNTED_AS} once closed: an answer arriving later takes nothing. */
    private static final Object CLOSED = "closed";
    private static final Object UNKNOWN_PEER = "unknown";
    private static final CompletableFuture<Void> ADMITTED = CompletableFuture.completedFuture(null);
    /** Completing the read gate exceptionally closes the connection ({@link Connection#readAfter}). */
    private static final CompletableFuture<Void> REFUSED = CompletableFuture.failedFuture(new OverShare());

    private final int max;
    private final int maxPerPeer;
    private final LimitMetrics metrics;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<Object, AtomicInteger> perPeer = new ConcurrentHashMap<>();

    /** A peer known by the uid owning its socket; never equal to an address key. */
    private record LocalUser(long uid) {}

    public ConnectionLimitStage(int max, int maxPerPeer, LimitMetrics metrics) {
        if (max < 1 || maxPerPeer < 1) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
        this.max = max;
        this.maxPerPeer = maxPerPeer;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public boolean onConnectionOpened(Connection connection) {
        if (total.incrementAndGet() > max) {
            total.decrementAndGet();
            metrics.rejected(Limit.MAX_CONNECTIONS);
            return false;
        }
        // hasAttr first: attr() would allocate the attribute on every connection when identification is off.
        CompletableFuture<PeerUser> lookup = connection.hasAttr(IdentityStage.PEER_USER_LOOKUP)
                ? connection.attr(IdentityStage.PEER_USER_LOOKUP).get() : null;
        if (lookup == null || lookup.isDone()) { // off, or answered at once (a remote peer): decide now
            Object key = peerKey(connection, lookup == null || lookup.isCompletedExceptionally() ? null : lookup.getNow(null));
            if (!takeShare(key)) {
                total.decrementAndGet();
                metrics.rejected(Limit.MAX_CONNECTIONS_PER_PEER);
                return false;
            }
            connection.attr(COUNTED_AS).set(key);
            return true;
        }
        connection.attr(COUNTED_AS).set(AWAITING_USER);
        connection.readAfter(lookup.thenCompose(user -> countUser(connection, user) ? ADMITTED : REFUSED));
        return true;
    }

    /** Once the lookup answered (on its thread, before the first read): takes the share, or refuses. */
    private boolean countUser(Connection connection, PeerUser user) {
        Object key = peerKey(connection, user);
        Attribute<Object> counted = connection.attr(COUNTED_AS);
        if (!takeShare(key)) {
            if (counted.get() == AWAITING_USER) {
                metrics.rejected(Limit.MAX_CONNECTIONS_PER_PEER); // the close this causes gives the total back
            }
            return false;
        }
        if (!counted.compareAndSet(AWAITING_USER, key)) {
            release(key); // closed meanwhile: the close gave the total back and did not know of this share
            return false;
        }
        return true;
    }

    @Override
    public void onConnectionClosed(Connection connection) {
        if (!connection.hasAttr(COUNTED_AS)) {
            return; // refused at open: nothing taken
        }
        Object counted = connection.attr(COUNTED_AS).getAndSet(CLOSED);
        if (counted == null || counted == CLOSED) {
            return;
        }
        if (counted != AWAITING_USER) {
            release(counted);
        }
        total.decrementAndGet();
    }

    private static Object peerKey(Connection connection, PeerUser user) {
        return user != null && user.known() ? new LocalUser(user.uid()) : peerAddress(connection);
    }

    private static Object peerAddress(Connection c) {
        InetSocketAddress peer = c.peer();
        return peer == null || peer.getAddress() == null ? UNKNOWN_PEER : peer.getAddress();
    }

    /** Counts one more connection for {@code key}; {@code false} (and nothing counted) when over the share. */
    private boolean takeShare(Object key) {
        AtomicInteger count = perPeer.compute(key, (k, c) -> {
            AtomicInteger n = c == null ? new AtomicInteger() : c;
            n.incrementAndGet();
            return n;
        });
        if (count.get() > maxPerPeer) {
            release(key);
            return false;
        }
        return true;
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

    /** Why a connection over its user's share was closed; no stack trace (it is not an error). */
    private static final class OverShare extends RuntimeException {
        OverShare() {
            super("over max_connections_per_peer", null, false, false);
        }
    }
}
