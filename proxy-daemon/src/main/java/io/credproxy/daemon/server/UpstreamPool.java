package io.credproxy.daemon.server;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Idle upstream HTTP connections kept for reuse, a few per {@link UpstreamKey}.
 *
 * <p>One pool per event loop (a thread-local of the loop's thread): an exchange and its upstream
 * connection always share the client's loop, so pooling needs no locks and a reused connection
 * never hops threads. A connection is offered back only after a complete exchange with keep-alive
 * on both sides; it leaves the pool when taken, when it closes, or when it has been idle too long
 * (the upstream pipeline's idle handler closes it).
 */
final class UpstreamPool {
    private final int maxIdlePerKey;
    private final FastThreadLocal<Map<UpstreamKey, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamKey, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    UpstreamPool(int maxIdlePerKey) {
        this.maxIdlePerKey = maxIdlePerKey;
    }

    /** An open idle connection for {@code key}, most recently used first, or {@code null}. */
    Channel poll(UpstreamKey key) {
        ArrayDeque<Channel> deque = idle.get().get(key);
        if (deque == null) {
            return null;
        }
        for (Channel ch; (ch = deque.pollLast()) != null; ) {
            if (ch.isActive()) {
                return ch;
            }
        }
        return null;
    }

    /** Keeps {@code channel} if there is room; {@code false} means the caller must close it. */
    boolean offer(UpstreamKey key, Channel channel) {
        if (!channel.isActive()) {
            return false;
        }
        ArrayDeque<Channel> deque = idle.get().computeIfAbsent(key, k -> new ArrayDeque<>());
        if (deque.size() >= maxIdlePerKey) {
            return false;
        }
        deque.addLast(channel);
        return true;
    }

    /** Forgets a connection that closed (called on its loop). */
    void remove(UpstreamKey key, Channel channel) {
        ArrayDeque<Channel> deque = idle.get().get(key);
        if (deque != null) {
            deque.remove(channel);
            if (deque.isEmpty()) {
                idle.get().remove(key);
            }
        }
    }

    /** Idle connections on the calling loop, for tests. */
    int idleCount(UpstreamKey key) {
        ArrayDeque<Channel> deque = idle.get().get(key);
        return deque == null ? 0 : deque.size();
    }
}
