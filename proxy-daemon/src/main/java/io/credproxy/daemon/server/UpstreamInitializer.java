package io.credproxy.daemon.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Promise;

/**
 * The pipeline of a new upstream HTTP connection: for TLS, the handshake (SNI and the certificate
 * checked against the real host) and then the protocol the upstream chose
 * ({@link UpstreamProtocolHandler}, which completes {@code ready}); for plain HTTP, the HTTP/1.1
 * handlers at once.
 */
final class UpstreamInitializer extends ChannelInitializer<SocketChannel> {
    private final UpstreamKey key;
    private final Promise<Channel> ready;
    private final SslContext tls;
    private final int handshakeTimeoutMillis;
    private final UpstreamPool pool;

    UpstreamInitializer(UpstreamKey key, Promise<Channel> ready, SslContext tls, int handshakeTimeoutMillis, UpstreamPool pool) {
        this.key = key;
        this.ready = ready;
        this.tls = tls;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.pool = pool;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.attr(UpstreamConnector.KEY).set(key);
        ch.closeFuture().addListener(f -> pool.remove(key, ch));
        ChannelPipeline p = ch.pipeline();
        if (key.tls()) {
            SslHandler ssl = tls.newHandler(ch.alloc(), key.destination().host(), key.destination().port());
            ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
            p.addLast("tls", ssl);
            p.addLast("alpn", new UpstreamProtocolHandler(ready, handshakeTimeoutMillis));
        } else {
            UpstreamProtocolHandler.installHttp1(p, null);
        }
    }
}
