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

    /** Whether {@code channel} came from the pool (and so may have been closed by the server meanwhile). */
    boolean wasPooled(Channel channel);

    /** Returns a connection after a complete exchange; the pool keeps it or closes it. */
    void release(Channel channel);

    /** A raw TCP connection to {@code destination}, for a byte tunnel; no handlers installed. */
    Future<Channel> connectTunnel(HostPort destination, EventLoop loop, UpstreamAddressCheck check);
}
