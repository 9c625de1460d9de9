package io.credproxy.daemon.server;

import io.credproxy.daemon.pipeline.Connection;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.StageResult;
import io.credproxy.daemon.pipeline.Target;
import io.credproxy.daemon.pipeline.TargetDecision;
import io.credproxy.protocol.config.HostPort;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SniHandler;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline of a connection to a transparent listener ({@link TransparentListeners}): the
 * CONNECT it stands for, decided by the same stages as one sent on the proxy port, before a byte is
 * read.
 *
 * <p>The chain's {@link io.credproxy.daemon.pipeline.ConnectionHook}s see the connection first, as
 * on the proxy port. Then the {@link io.credproxy.daemon.pipeline.TargetHook}s decide: intercept
 * (the pipeline {@link ConnectHandler} installs after its 200: TLS with a leaf for the destination,
 * whose server name, Host header and URIs must name it, then the HTTP handlers), tunnel
 * ({@link TransparentTunnelHandler}) or refuse (recorded, and the connection closed: there is no
 * HTTP on this connection to answer with a status).
 */
final class TransparentInitializer extends ChannelInitializer<SocketChannel> {
    private static final Logger LOG = LoggerFactory.getLogger(TransparentInitializer.class);

    private final ProxyContext proxy;
    private final String app;
    private final HostPort destination;

    TransparentInitializer(ProxyContext proxy, String app, HostPort destination) {
        this.proxy = proxy;
        this.app = app;
        this.destination = destination;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        proxy.metrics().connectionOpened();
        InetSocketAddress peer = ch.remoteAddress();
        Connection connection = new Connection(peer, ProxyInitializer.describe(peer));
        ch.closeFuture().addListener(f -> {
            proxy.metrics().connectionClosed();
            proxy.stages().onConnectionClosed(connection);
        });
        if (!proxy.stages().onConnectionOpened(connection)) {
            ch.close();
            return;
        }
        Target target = new Target(connection, app, destination, Target.Kind.CONNECT, "CONNECT", proxy.policies().current());
        Exchange exchange = Exchange.connect(target, Exchange.Scheme.TUNNEL);
        TargetDecision decision = proxy.stages().onTarget(target);
        switch (decision.action()) {
            case INTERCEPT -> {
                ClientConnection tunnel = ClientConnection.plain(connection).intercepted(destination, app);
                ch.pipeline()
                        .addLast("tls", new SniHandler(hostname -> {
                            tunnel.sniHost(hostname);
                            return proxy.serverContexts().forHost(destination.host());
                        }, ConnectHandler.CLIENT_HANDSHAKE_TIMEOUT_MILLIS))
                        .addLast("https-codec", HttpCodecs.server())
                        .addLast("https-forward", new ForwardHandler(proxy, tunnel));
            }
            case REFUSE -> refuse(ch, exchange, decision.refusal());
            default -> ch.pipeline().addLast("transparent-tunnel", new TransparentTunnelHandler(proxy, exchange));
        }
    }

    private void refuse(SocketChannel ch, Exchange exchange, StageResult refusal) {
        exchange.decision(refusal.decision());
        exchange.reason(refusal.reason());
        exchange.status(refusal.status().code());
        exchange.secretNames().clear();
        LOG.debug("app={} client={} transparent connection to {} refused: {}", app, exchange.client(), destination, refusal.reason());
        proxy.stages().onComplete(exchange);
        ch.close();
    }
}
