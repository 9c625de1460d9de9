package io.credproxy.daemon.server;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.protocol.config.HostPort;
import java.net.InetSocketAddress;

/**
 * The proxy port: a {@link Listener} whose connections get the {@link ProxyInitializer} pipeline, and
 * the {@link TransparentListeners} beside it on the same address.
 */
public final class ProxyServer implements AutoCloseable {
    private final Listener listener;
    private final TransparentListeners transparent;

    private ProxyServer(Listener listener, TransparentListeners transparent) {
        this.listener = listener;
        this.transparent = transparent;
    }

    /**
     * Binds the proxy port.
     *
     * @throws ConfigException when the address cannot be bound (in use, not local)
     */
    public static ProxyServer start(Transport transport, HostPort listen, ProxyContext proxy) throws ConfigException {
        Listener listener = Listener.bind(transport, listen, new ProxyInitializer(proxy), "proxy", false);
        String boundHost = listener.address().getAddress().getHostAddress();
        return new ProxyServer(listener, new TransparentListeners(transport, boundHost, proxy, TransparentListeners.MAX_LISTENERS));
    }

    public InetSocketAddress address() {
        return listener.address();
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
}
