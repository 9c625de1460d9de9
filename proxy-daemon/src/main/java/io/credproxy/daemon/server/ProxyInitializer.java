package io.credproxy.daemon.server;

import io.credproxy.daemon.limits.IdleTimeout;
import io.credproxy.daemon.limits.RequestHeadGuard;
import io.credproxy.daemon.pipeline.Connection;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Builds the pipeline of a new client connection to the proxy port: the idle timeout, the request
 * head guard, the HTTP/1.1 codec and the {@link ForwardHandler}. Nothing else: what happens to
 * requests is the handler's job. The chain's {@link io.credproxy.daemon.pipeline.ConnectionHook}s
 * (the connection limits and the peer's identity among them) see the connection first and may close
 * it, or hold back its first read ({@link Connection#readAfter}) until they know what they need; the
 * handlers are added only then (the channel does not auto-read, so nothing is read before).
 */
public final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
    static final String HEAD = "client-head";
    static final String CODEC = "client-codec";
    static final String FORWARD = "client-forward";

    private final ProxyContext proxy;
    private final ChannelGroup clients;

    /** @param clients every accepted connection joins it (the daemon drains them on shutdown) */
    public ProxyInitializer(ProxyContext proxy, ChannelGroup clients) {
        this.proxy = proxy;
        this.clients = clients;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        proxy.metrics().connectionOpened();
        InetSocketAddress peer = ch.remoteAddress();
        Connection connection = new Connection(peer, ch.localAddress(), describe(peer));
        ch.closeFuture().addListener(f -> {
            proxy.metrics().connectionClosed();
            proxy.stages().onConnectionClosed(connection);
        });
        if (!proxy.stages().onConnectionOpened(connection)) {
            ch.close();
            return;
        }
        clients.add(ch);
        if (connection.readable().isDone() && !connection.readable().isCompletedExceptionally()) {
            addHandlers(ch, connection); // ForwardHandler.channelActive starts reading
            return;
        }
        connection.readable().whenComplete((ok, failure) -> ch.eventLoop().execute(() -> {
            if (failure != null) {
                ch.close();
            } else if (ch.isActive()) {
                addHandlers(ch, connection);
                ch.read(); // the channel became active before the handler was there to start reading
            }
        }));
    }

    private void addHandlers(SocketChannel ch, Connection connection) {
        RequestHeadGuard guard = proxy.limits().headGuard(HttpCodecs.MAX_REQUEST_HEAD);
        ch.pipeline()
                .addLast(IdleTimeout.NAME, proxy.limits().idleTimeout())
                .addLast(HEAD, guard)
                .addLast(CODEC, HttpCodecs.server())
                .addLast(FORWARD, new ForwardHandler(proxy, ClientConnection.plain(connection), guard));
    }

    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String ip = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
