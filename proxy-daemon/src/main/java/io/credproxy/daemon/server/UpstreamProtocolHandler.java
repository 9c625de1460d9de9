package io.credproxy.daemon.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Promise;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;

/**
 * Finishes a new TLS connection to an upstream for the protocol the upstream chose by ALPN, and
 * only then hands it out: an HTTP/1.1 connection (codec, idle timer, {@link UpstreamHandler}) or an
 * h2 connection ({@link Http2UpstreamConnection}, handed out once the server's SETTINGS arrived).
 *
 * <p>The pipeline is built on the handshake event, before any byte of the server's is decoded (an
 * h2 server may send its SETTINGS at once), so nothing is ever read with the wrong codec. A failed
 * handshake fails the connection's promise with its cause (certificate errors included), which the
 * exchange turns into its 502.
 */
final class UpstreamProtocolHandler extends ApplicationProtocolNegotiationHandler {
    private final Promise<Channel> ready;
    private final int settingsTimeoutMillis;

    UpstreamProtocolHandler(Promise<Channel> ready, int settingsTimeoutMillis) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.ready = ready;
        this.settingsTimeoutMillis = settingsTimeoutMillis;
    }

    /** Codec, idle timer and the exchange's handler of an HTTP/1.1 upstream connection, after {@code base}. */
    static void installHttp1(ChannelPipeline p, String base) {
        if (base == null) {
            p.addLast("codec", HttpCodecs.client());
        } else {
            p.addAfter(base, "codec", HttpCodecs.client());
        }
        p.addAfter("codec", "idle", new IdleStateHandler(0, 0, UpstreamConnector.POOL_IDLE_SECONDS, TimeUnit.SECONDS));
        p.addAfter("idle", UpstreamHandler.NAME, new UpstreamHandler());
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            Http2UpstreamConnection.install(ctx.pipeline(), ctx.name(), ready, settingsTimeoutMillis);
        } else {
            installHttp1(ctx.pipeline(), ctx.name());
            ready.trySuccess(ctx.channel());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            ready.tryFailure(handshake.cause());
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        ready.tryFailure(cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ready.tryFailure(new java.nio.channels.ClosedChannelException());
        super.channelInactive(ctx);
    }
}
