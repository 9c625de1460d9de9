package io.credproxy.daemon.server;

import io.credproxy.daemon.identity.Caller;
import io.credproxy.daemon.limits.IdleTimeout;
import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.pipeline.Connection;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.IdentityStage;
import io.credproxy.daemon.pipeline.StageResult;
import io.credproxy.daemon.pipeline.Target;
import io.credproxy.daemon.pipeline.TargetDecision;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.wire.ProxyIdentity;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.group.ChannelGroup;
import java.net.InetSocketAddress;
import java.util.Optional;
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
    private final ChannelGroup clients;

    TransparentInitializer(ProxyContext proxy, String app, HostPort destination, ChannelGroup clients) {
        this.proxy = proxy;
        this.app = app;
        this.destination = destination;
        this.clients = clients;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        proxy.metrics().connectionOpened();
        InetSocketAddress peer = ch.remoteAddress();
        Connection connection = new Connection(peer, ch.localAddress(), ProxyInitializer.describe(peer));
        ch.closeFuture().addListener(f -> {
            proxy.metrics().connectionClosed();
            proxy.stages().onConnectionClosed(connection);
        });
        if (!proxy.stages().onConnectionOpened(connection)) {
            ch.close();
            return;
        }
        clients.add(ch);
        // A tunnel from the start: its idle timeout is the tunnel's.
        IdleTimeout.install(ch.pipeline(), proxy.limits().config().tunnelIdleTimeoutMillis(), Limit.TUNNEL_IDLE_TIMEOUT,
                proxy.limits().metrics());
        // Decided once the connection hooks (the peer's identity) have answered and the channel is
        // active (a task on its loop runs after the activation); nothing is read until then.
        connection.readable().whenComplete((ok, failure) -> ch.eventLoop().execute(() -> {
            if (failure != null) {
                ch.close();
            } else if (ch.isActive()) {
                decide(ch, connection);
            }
        }));
    }

    /** The CONNECT this connection stands for, decided by the stages: intercept, tunnel or refuse. */
    private void decide(SocketChannel ch, Connection connection) {
        Optional<ProxyIdentity> claim = Optional.of(new ProxyIdentity(app, ""));
        Caller caller = IdentityStage.callerOf(connection, claim, proxy.policies().current());
        Target target = new Target(connection, caller, destination, Target.Kind.CONNECT, "CONNECT", proxy.policies().current());
        Exchange exchange = Exchange.connect(target, Exchange.Scheme.TUNNEL);
        TargetDecision decision = proxy.stages().onTarget(target);
        switch (decision.action()) {
            case INTERCEPT -> {
                InterceptedTls.install(ch.pipeline(), null, proxy,
                        ClientConnection.plain(connection).intercepted(destination, claim, caller), destination);
                ch.read(); // the client's hello; the handlers read on from there
            }
            case REFUSE -> refuse(ch, exchange, decision.refusal());
            // Reads nothing before the upstream is connected (it opens when added).
            default -> ch.pipeline().addLast("transparent-tunnel", new TransparentTunnelHandler(proxy, exchange));
        }
    }

    private void refuse(SocketChannel ch, Exchange exchange, StageResult refusal) {
        exchange.decision(refusal.decision());
        exchange.reason(refusal.reason());
        exchange.status(refusal.status().code());
        exchange.secretNames().clear();
        LOG.debug("app={} client={} transparent connection to {} refused: {}", exchange.target().caller().app(), exchange.client(),
                destination, refusal.reason());
        proxy.stages().onComplete(exchange);
        ch.close();
    }
}
