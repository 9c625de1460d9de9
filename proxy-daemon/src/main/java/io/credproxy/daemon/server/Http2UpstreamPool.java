package io.credproxy.daemon.server;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The h2 upstream connections of one event loop, by {@link UpstreamKey}, and what the loop learned
 * about each key's protocol.
 *
 * <p>Per loop, like {@link UpstreamPool}: an exchange, its client stream and its upstream stream
 * share one loop, so nothing here needs a lock; a key has one multiplexed connection per loop (a
 * second one only when the first has no stream to spare). While a new TLS connection to a key is
 * being made, whose protocol is not known yet, other exchanges for that key wait for it
 * ({@link #pending}) instead of each opening their own: sixteen concurrent requests to a fresh h2
 * upstream make one connection, not sixteen. Keys whose upstream chose HTTP/1.1 are remembered
 * (a bounded list), so their exchanges do not wait.
 */
final class Http2UpstreamPool {
    private static final int MAX_REMEMBERED_HTTP1_KEYS = 4096;

    private final FastThreadLocal<Map<UpstreamKey, List<Http2UpstreamConnection>>> connections = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamKey, List<Http2UpstreamConnection>> initialValue() {
            return new HashMap<>();
        }
    };
    private final FastThreadLocal<Map<UpstreamKey, Future<Channel>>> pending = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamKey, Future<Channel>> initialValue() {
            return new HashMap<>();
        }
    };
    private final FastThreadLocal<Map<UpstreamKey, Boolean>> http1 = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamKey, Boolean> initialValue() {
            return new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<UpstreamKey, Boolean> eldest) {
                    return size() > MAX_REMEMBERED_HTTP1_KEYS;
                }
            };
        }
    };

    /** A connection for {@code key} that can take another stream now, or {@code null}. */
    Http2UpstreamConnection usable(UpstreamKey key) {
        List<Http2UpstreamConnection> list = connections.get().get(key);
        if (list != null) {
            for (Http2UpstreamConnection c : list) {
                if (c.usable()) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Keeps a new h2 connection for {@code key} until it closes. */
    void add(UpstreamKey key, Http2UpstreamConnection connection) {
        http1.get().remove(key);
        connections.get().computeIfAbsent(key, k -> new ArrayList<>(1)).add(connection);
        connection.channel().closeFuture().addListener(f -> {
            List<Http2UpstreamConnection> list = connections.get().get(key);
            if (list != null && list.remove(connection) && list.isEmpty()) {
                connections.get().remove(key);
            }
        });
    }

    /** The new connection to {@code key} whose protocol is not known yet, or {@code null}. */
    Future<Channel> pending(UpstreamKey key) {
        return pending.get().get(key);
    }

    /** Records {@code connecting} as the connection to wait for, until it is ready or failed. */
    void connecting(UpstreamKey key, Future<Channel> connecting) {
        pending.get().put(key, connecting);
        connecting.addListener(f -> pending.get().remove(key, connecting));
    }

    /** Whether {@code key}'s upstream chose HTTP/1.1 when last asked. */
    boolean knownHttp1(UpstreamKey key) {
        return http1.get().containsKey(key);
    }

    void markHttp1(UpstreamKey key) {
        http1.get().put(key, Boolean.TRUE);
    }

    /** Open h2 connections on the calling loop, for tests. */
    int connectionCount(UpstreamKey key) {
        List<Http2UpstreamConnection> list = connections.get().get(key);
        return list == null ? 0 : list.size();
    }
}
