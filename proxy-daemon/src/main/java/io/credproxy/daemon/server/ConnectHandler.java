package io.credproxy.daemon.server;

import io.credproxy.daemon.limits.IdleTimeout;
import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.wire.ProxyIdentity;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a CONNECT the stages decided to intercept or to tunnel (the decision is the chain's
 * {@link io.credproxy.daemon.pipeline.TargetHook}, made on the CONNECT's head).
 *
 * <p>Intercept: answer {@code 200 Connection Established}, then terminate TLS with a leaf minted
 * for the CONNECT host ({@link SniHandler} records the server name the client asked for, which
 * must match) and read HTTP requests from the tunnel, every one bound for the CONNECT target, over
 * HTTP/1.1 or h2 as the client chose by ALPN ({@link ClientProtocolHandler}). The upstream
 * connection is made per request, from the pool.
 *
 * <p>Tunnel: connect to the target first, its resolved address judged by the chain's
 * {@link io.credproxy.daemon.pipeline.UpstreamAddressHook} (so a failure or a refusal can still be
 * answered), then answer 200 and relay bytes both ways; the client sees the upstream's own
 * certificate. The tunnel is the CONNECT's exchange, completed when both sides have closed.
 *
 * <p>In both cases the HTTP codec leaves the pipeline last, so bytes the client sent right behind
 * the CONNECT reach the new handlers rather than being lost.
 */
final class ConnectHandler implements RequestSink {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);

    private final ForwardHandler owner;
    private final ChannelHandlerContext ctx;
    private final ProxyContext proxy;
    private final ClientConnection connection;
    private final Exchange exchange;
    private final HostPort target;
    private final boolean intercept;
    private final Optional<ProxyIdentity> claim;
    private final boolean keepAlive;
    private boolean bodyComplete;
    private boolean cancelled;

    ConnectHandler(ForwardHandler owner, ChannelHandlerContext ctx, ProxyContext proxy, ClientConnection connection,
            Exchange exchange, boolean intercept, Optional<ProxyIdentity> claim, boolean keepAlive) {
        this.owner = owner;
        this.ctx = ctx;
        this.proxy = proxy;
        this.connection = connection;
        this.exchange = exchange;
        this.target = exchange.destination();
        this.intercept = intercept;
        this.claim = claim;
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
        if (intercept) {
            intercept();
        } else {
            tunnel();
        }
    }

    private void intercept() {
        ctx.writeAndFlush(established());
        ClientConnection tunnel = connection.intercepted(target, claim, exchange.target().caller());
        ChannelPipeline p = ctx.pipeline();
        InterceptedTls.install(p, ProxyInitializer.CODEC, proxy, tunnel, target);
        switchPipeline(p);
    }

    private void tunnel() {
        UpstreamAddressCheck check = UpstreamAddressCheck.of(proxy.stages(), exchange.target());
        proxy.upstreams().connectTunnel(target, ctx.channel().eventLoop(), check).addListener((Future<Channel> f) -> {
            if (cancelled) {
                if (f.isSuccess()) {
                    f.getNow().close();
                }
                return;
            }
            if (!f.isSuccess()) {
                failed(UpstreamFailure.classify(f.cause(), target, proxy.connectTimeoutMillis()), keepAlive);
                return;
            }
            Channel upstream = f.getNow();
            TunnelAccounting accounting = new TunnelAccounting(exchange, proxy.stages(), proxy.metrics());
            ctx.writeAndFlush(established());
            upstream.pipeline().addLast("relay", new TunnelRelayHandler(ctx.channel(), accounting, false));
            ChannelPipeline p = ctx.pipeline();
            p.addAfter(ProxyInitializer.CODEC, "relay", new TunnelRelayHandler(upstream, accounting, true));
            switchPipeline(p);
            upstream.read();
        });
    }

    private void failed(UpstreamFailure failure, boolean keepAlive) {
        failure.recordOn(exchange, proxy.metrics());
        ctx.writeAndFlush(ErrorResponses.of(failure.status(), failure.reason(), failure.proxyStatus(), keepAlive));
        proxy.stages().onComplete(exchange);
        owner.exchangeFinished(this, !keepAlive);
    }

    /** Takes the HTTP handlers out (codec last), gives the tunnel its own idle timeout and starts reading it. */
    private void switchPipeline(ChannelPipeline p) {
        Channel channel = ctx.channel();
        boolean clean = owner.detach();
        p.remove(owner);
        if (p.get(ProxyInitializer.HEAD) != null) {
            p.remove(ProxyInitializer.HEAD);
        }
        IdleTimeout.replace(p, proxy.limits().config().tunnelIdleTimeoutMillis(), Limit.TUNNEL_IDLE_TIMEOUT, proxy.limits().metrics());
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

    @Override
    public boolean bodyComplete() {
        return bodyComplete;
    }

    @Override
    public void onClientClosed() {
        cancelled = true;
    }

    @Override
    public void onMalformedContent() {
        // A CONNECT's body is never forwarded; one the codec cannot read ends it with 400.
        bodyComplete = true;
        cancelled = true;
        failed(UpstreamFailure.malformedBody(), false);
    }
}
