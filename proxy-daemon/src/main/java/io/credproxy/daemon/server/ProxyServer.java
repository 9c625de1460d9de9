package io.credproxy.daemon.server;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.protocol.config.HostPort;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;

/**
 * The proxy port: a {@link Listener} whose connections get the {@link ProxyInitializer} pipeline,
 * the {@link TransparentListeners} beside it on the same address, and the group of client
 * connections open on either, for a graceful stop.
 */
public final class ProxyServer implements AutoCloseable {
    private final Listener listener;
    private final ChannelGroup clients;
    private final TransparentListeners transparent;

    private ProxyServer(Listener listener, ChannelGroup clients, TransparentListeners transparent) {
        this.listener = listener;
        this.clients = clients;
        this.transparent = transparent;
    }

    /**
     * Binds the proxy port.
     *
     * @throws ConfigException when the address cannot be bound (in use, not local)
     */
    public static ProxyServer start(Transport transport, HostPort listen, ProxyContext proxy) throws ConfigException {
        ChannelGroup clients = new DefaultChannelGroup("credproxy-clients", GlobalEventExecutor.INSTANCE);
        Listener listener = Listener.bind(transport, listen, new ProxyInitializer(proxy, clients), "proxy", false);
        String boundHost = listener.address().getAddress().getHostAddress();
        return new ProxyServer(listener, clients,
                new TransparentListeners(transport, boundHost, proxy, clients, TransparentListeners.MAX_LISTENERS));
    }

    public InetSocketAddress address() {
        return listener.address();
    }

    /** Whether the listening socket is open. */
    public boolean listening() {
        return listener.isOpen();
    }

    /** Stops accepting (the proxy port and the transparent listeners); connections already open stay. */
    public void stopAccepting() {
        listener.close();
        transparent.close();
    }

    /**
     * Asks every open client connection to finish what it is doing and close: at once when it is
     * between requests, after its exchange when one is under way; opaque tunnels run on.
     */
    public void drain() {
        for (Channel ch : clients) {
            ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(Drain.INSTANCE));
        }
    }

    /** Client connections open now. */
    public int openConnections() {
        return clients.size();
    }

    /** Closes every client connection that is left; returns how many there were. */
    public int closeAll() {
        int left = clients.size();
        clients.close().awaitUninterruptibly();
        return left;
    }

    /** The listeners that stand for CONNECTs made in advance, for the agent's non-blocking and native connects. */
    public TransparentListeners transparent() {
        return transparent;
    }

    @Override
    public void close() {
        listener.close();
        transparent.close();
    }

    /** The user event that asks a connection's handlers to wind down. */
    public enum Drain { INSTANCE }
}
