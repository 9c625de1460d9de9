package io.credproxy.daemon.server;

import io.credproxy.daemon.identity.Caller;
import io.credproxy.daemon.limits.RequestHeadGuard;
import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.daemon.pipeline.AuditRecorder;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.Target;
import io.credproxy.daemon.tls.LeafUnavailableException;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.Decision;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the decrypted side of an intercepted tunnel once the client's TLS handshake is done, for
 * the protocol the client chose by ALPN: h2 or HTTP/1.1 (also when it sent no ALPN).
 *
 * <p>HTTP/1.1: the HTTP codec and a {@link ForwardHandler}, reading one request at a time. h2:
 * Netty's frame codec and multiplexer ({@link Http2Codecs#server()}); every stream gets a child
 * channel of its own ({@link ClientStreamInitializer}) whose request goes through the same
 * {@link ForwardHandler} and stages as an HTTP/1.1 request. The connection itself then reads
 * freely (it must, to see SETTINGS, PING and new streams); each stream reads only as fast as its
 * exchange forwards, and HTTP/2 flow control holds the client back per stream.
 *
 * <p>A failed handshake is recorded as the CONNECT's exchange ({@code error}, with the reason) and
 * the connection closed: usually a client that does not trust the credproxy CA, or, before the
 * handshake began, no leaf to be had for the host ({@link LeafUnavailableException}).
 */
final class ClientProtocolHandler extends ApplicationProtocolNegotiationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ClientProtocolHandler.class);

    /** The name of the tunnel's {@link RequestHeadGuard}, right after this handler. */
    static final String HEAD_GUARD = "https-head";

    private final ProxyContext proxy;
    private final ClientConnection tunnel;
    private final RequestHeadGuard guard;

    /** @param guard times the handshake and the first HTTP/1.1 request head together; removed for h2 */
    ClientProtocolHandler(ProxyContext proxy, ClientConnection tunnel, RequestHeadGuard guard) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.proxy = proxy;
        this.tunnel = tunnel;
        this.guard = guard;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        ChannelPipeline p = ctx.pipeline();
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            p.remove(guard); // h2 limits its header blocks and streams itself (Http2Codecs)
            p.addAfter(ctx.name(), "h2", Http2Codecs.server());
            p.addAfter("h2", "h2-streams", new Http2MultiplexHandler(new ClientStreamInitializer(proxy, tunnel)));
            ctx.channel().config().setAutoRead(true);
        } else {
            p.addAfter(HEAD_GUARD, "https-codec", HttpCodecs.server());
            // Reads its first request when the handshake event, passed on after this method, reaches it.
            p.addAfter("https-codec", "https-forward", new ForwardHandler(proxy, tunnel, guard));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            handshakeFailed(handshake.cause());
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        // Every failure of the TLS engine comes with a handshake event too, recorded from there. A lookup
        // failure of the SniHandler comes before any engine, without one: recorded here.
        if (cause instanceof LeafUnavailableException) {
            handshakeFailed(cause);
        }
        ctx.close();
    }

    private void handshakeFailed(Throwable cause) {
        String reason = "client TLS handshake failed: " + AuditRecorder.printable(String.valueOf(
                cause == null ? null : cause.getMessage()), 120);
        HostPort target = tunnel.connectTarget();
        proxy.metrics().error(ProxyError.TLS_HANDSHAKE);
        if (cause instanceof LeafUnavailableException) {
            LOG.warn("app={} client={} TLS handshake for {} not started ({})", tunnel.connectApp(), tunnel.client(), target, reason);
        } else {
            LOG.warn("app={} client={} TLS handshake for {} failed ({}); does the client trust the credproxy CA?",
                    tunnel.connectApp(), tunnel.client(), target, reason);
        }
        Caller caller = tunnel.connectCaller() != null ? tunnel.connectCaller() : Caller.claimed(tunnel.connectApp());
        Exchange exchange = Exchange.connect(new Target(tunnel.connection(), caller, target,
                Target.Kind.CONNECT, "CONNECT", proxy.policies().current()), Exchange.Scheme.HTTPS);
        exchange.decision(Decision.ERROR);
        exchange.reason(reason);
        proxy.stages().onComplete(exchange);
    }
}
