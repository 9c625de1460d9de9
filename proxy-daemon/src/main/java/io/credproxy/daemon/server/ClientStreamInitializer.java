package io.credproxy.daemon.server;

import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * The pipeline of one h2 stream from an intercepted client: HTTP/2 frames as HTTP objects, one
 * request per stream, into the same {@link ForwardHandler} (and so the same stages) as an
 * HTTP/1.1 request in the tunnel.
 *
 * <p>Every stream of the connection shares its {@link ClientConnection}: the CONNECT target, the
 * app and the TLS server name, against which {@code :authority} (the request's Host) is checked.
 * The stream reads only when its exchange asks ({@code AUTO_READ} off), so HTTP/2 flow control
 * holds back a client that sends faster than the upstream takes.
 */
final class ClientStreamInitializer extends ChannelInitializer<Http2StreamChannel> {
    private final ProxyContext proxy;
    private final ClientConnection tunnel;

    ClientStreamInitializer(ProxyContext proxy, ClientConnection tunnel) {
        this.proxy = proxy;
        this.tunnel = tunnel;
    }

    @Override
    protected void initChannel(Http2StreamChannel ch) {
        ch.config().setAutoRead(false);
        ch.pipeline()
                .addLast("h2-reset", new StreamResetOnClose())
                .addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true))
                .addLast("h2-split", new FullMessageSplitter())
                .addLast("h2-stall", new StreamStallTimeout())
                .addLast("forward", new ForwardHandler(proxy, tunnel, null)); // no head guard: h2 limits header blocks itself
    }
}
