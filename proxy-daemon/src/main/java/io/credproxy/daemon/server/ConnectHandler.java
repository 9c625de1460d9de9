package io.credproxy.daemon.server;

import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SniHandler;
import io.netty.util.concurrent.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a CONNECT: intercepts the tunnel when a rule covers its target, else relays it as
 * opaque bytes.
 *
 * <p>Intercept: answer {@code 200 Connection Established}, then terminate TLS with a leaf minted
 * for the CONNECT host ({@link SniHandler} records the server name the client asked for, which
 * must match) and read HTTP requests from the tunnel, every one bound for the CONNECT target. The
 * upstream connection is made per request, from the pool.
 *
 * <p>Tunnel: connect to the target first (so a failure can still be answered with 502/504), then
 * answer 200 and relay bytes both ways; the client sees the upstream's own certificate.
 *
 * <p>In both cases the HTTP codec leaves the pipeline last, so bytes the client sent right behind
 * the CONNECT reach the new handlers rather than being lost.
 */
final class ConnectHandler implements RequestSink {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);
    static final long CLIENT_HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final ForwardHandler owner;
    private final ChannelHandlerContext ctx;
    private final ProxyContext proxy;
    private final ClientConnection connection;
    private final HostPort target;
    private final String app;
    private final boolean keepAlive;
    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private boolean bodyComplete;
    private boolean cancelled;

    ConnectHandler(ForwardHandler owner, ChannelHandlerContext ctx, ProxyContext proxy, ClientConnection connection,
            HostPort target, String app, boolean keepAlive) {
        this.owner = owner;
        this.ctx = ctx;
        this.proxy = proxy;
        this.connection = connection;
        this.target = target;
        this.app = app;
        this.keepAlive = keepAlive;
    }

    @Override
    public void start() {
        // Act once the CONNECT's (empty) end has been read, so no HTTP object is left behind.
    }

    @Override
    public void onContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        content.release();
        if (!last) {
            owner.readMore();
            return;
        }
        if (bodyComplete) {
            return;
        }
        bodyComplete = true;
        if (proxy.policies().current().match(target.host(), target.port()).isPresent()) {
            intercept();
        } else {
            tunnel();
        }
    }

    private void intercept() {
        ctx.writeAndFlush(established());
        ClientConnection tunnel = connection.intercepted(target, app);
        ChannelPipeline p = ctx.pipeline();
        p.addAfter(ProxyInitializer.CODEC, "tls", new SniHandler(hostname -> {
            tunnel.sniHost(hostname);
            return proxy.serverContexts().forHost(target.host());
        }, CLIENT_HANDSHAKE_TIMEOUT_MILLIS));
        p.addAfter("tls", "https-codec", HttpCodecs.server());
        p.addAfter("https-codec", "https-forward", new ForwardHandler(proxy, tunnel));
        switchPipeline(p);
    }

    private void tunnel() {
        proxy.upstreams().connectTunnel(target, ctx.channel().eventLoop()).addListener((Future<Channel> f) -> {
            if (cancelled) {
                if (f.isSuccess()) {
                    f.getNow().close();
                }
                return;
            }
            if (!f.isSuccess()) {
                UpstreamFailure failure = UpstreamFailure.classify(f.cause(), target, proxy.connectTimeoutMillis());
                proxy.metrics().error(failure.kind());
                ctx.writeAndFlush(ErrorResponses.of(failure.status(), failure.reason(), failure.proxyStatus(), keepAlive));
                proxy.audit().record(new AuditEvent(startMillis, app, connection.client(), "CONNECT", TunnelAccounting.SCHEME,
                        target.host(), target.port(), null, Decision.ERROR, List.of(), failure.status().code(), 0, 0,
                        elapsedMillis(), failure.reason()));
                owner.exchangeFinished(this, !keepAlive);
                return;
            }
            Channel upstream = f.getNow();
            TunnelAccounting accounting = new TunnelAccounting(proxy.audit(), proxy.metrics(), app, connection.client(), target);
            ctx.writeAndFlush(established());
            upstream.pipeline().addLast("relay", new TunnelRelayHandler(ctx.channel(), accounting, false));
            ChannelPipeline p = ctx.pipeline();
            p.addAfter(ProxyInitializer.CODEC, "relay", new TunnelRelayHandler(upstream, accounting, true));
            switchPipeline(p);
            upstream.read();
        });
    }

    /** Takes the HTTP handlers out (codec last) and starts reading the tunnel. */
    private void switchPipeline(ChannelPipeline p) {
        Channel channel = ctx.channel();
        boolean clean = owner.detach();
        p.remove(owner);
        p.remove(ProxyInitializer.CODEC);
        if (!clean) {
            LOG.debug("client {} sent HTTP data behind its CONNECT to {}; closing", connection.client(), target);
            channel.close();
            return;
        }
        channel.read();
    }

    private static FullHttpResponse established() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(200, "Connection Established"));
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public boolean bodyComplete() {
        return bodyComplete;
    }

    @Override
    public void onClientClosed() {
        cancelled = true;
    }
}
