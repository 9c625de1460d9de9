package io.credproxy.daemon.server;

import io.credproxy.protocol.config.HostPort;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

/**
 * Where the proxy gets its upstream connections from (see {@link UpstreamConnector}); an interface
 * so handler tests can hand out embedded channels.
 */
public interface Upstreams {
    /**
     * An HTTP connection to {@code key}, ready for a request: taken from the pool when
     * {@code pooledAllowed} and one is idle there, else newly connected (and, for TLS, with the
     * handshake done and the certificate verified). Must be called on {@code loop}. {@code check}
     * judges the resolved address before the connect (or a pooled connection's remote address
     * before its reuse); a refusal fails the future with the check's answer.
     */
    Future<Channel> acquire(UpstreamKey key, EventLoop loop, boolean pooledAllowed, UpstreamAddressCheck check);

    /**
     * A new HTTP/1.1 connection to {@code key} (ALPN offers only {@code http/1.1}), for a request
     * that asks to switch protocols (a WebSocket handshake): after {@code 101} the connection is
     * the new protocol's, so it is never a shared h2 one nor taken from or returned to the pool.
     */
    default Future<Channel> acquireHttp11(UpstreamKey key, EventLoop loop, UpstreamAddressCheck check) {
        return acquire(key, loop, false, check);
    }

    /** Whether {@code channel} came from the pool (and so may have been closed by the server meanwhile). */
    boolean wasPooled(Channel channel);

    /** Returns a connection after a complete exchange; the pool keeps it or closes it. */
    void release(Channel channel);

    /** A raw TCP connection to {@code destination}, for a byte tunnel; no handlers installed. */
    Future<Channel> connectTunnel(HostPort destination, EventLoop loop, UpstreamAddressCheck check);
}
