package io.credproxy.daemon.server;

import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.protocol.report.Decision;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;

/**
 * The opaque tunnel of a transparent connection the stages decided to tunnel: connects to the
 * destination (its resolved address judged by the chain's
 * {@link io.credproxy.daemon.pipeline.UpstreamAddressHook}), then relays bytes both ways, as
 * {@link ConnectHandler} does after a CONNECT; the client sees the upstream's own certificate.
 *
 * <p>Nothing is read from the client until the upstream is connected ({@code AUTO_READ} is off), so
 * what the client sends first goes upstream unchanged. When the connect fails or is refused, the
 * exchange records why and the client's connection is closed: it has no HTTP to be answered in.
 */
final class TransparentTunnelHandler extends ChannelInboundHandlerAdapter {
    private final ProxyContext proxy;
    private final Exchange exchange;
    private boolean clientGone;

    TransparentTunnelHandler(ProxyContext proxy, Exchange exchange) {
        this.proxy = proxy;
        this.exchange = exchange;
    }

    /** Added once the connection hooks answered, on an active channel (TransparentInitializer): connects upstream now. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        UpstreamAddressCheck check = UpstreamAddressCheck.of(proxy.stages(), exchange.target());
        proxy.upstreams().connectTunnel(exchange.destination(), ctx.channel().eventLoop(), check)
                .addListener((Future<Channel> f) -> connected(ctx, f));
    }

    private void connected(ChannelHandlerContext ctx, Future<Channel> f) {
        if (clientGone) {
            if (f.isSuccess()) {
                f.getNow().close();
            }
            exchange.decision(Decision.ERROR);
            exchange.reason("client closed before the tunnel was open");
            proxy.stages().onComplete(exchange);
            return;
        }
        if (!f.isSuccess()) {
            UpstreamFailure failure = UpstreamFailure.classify(f.cause(), exchange.destination(), proxy.connectTimeoutMillis());
            failure.recordOn(exchange, proxy.metrics());
            proxy.stages().onComplete(exchange);
            ctx.close();
            return;
        }
        Channel upstream = f.getNow();
        TunnelAccounting accounting = new TunnelAccounting(exchange, proxy.stages(), proxy.metrics());
        upstream.pipeline().addLast("relay", new TunnelRelayHandler(ctx.channel(), accounting, false));
        ctx.pipeline().replace(this, "relay", new TunnelRelayHandler(upstream, accounting, true));
        upstream.read();
        ctx.channel().read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        clientGone = true;
        ctx.fireChannelInactive();
    }
}
