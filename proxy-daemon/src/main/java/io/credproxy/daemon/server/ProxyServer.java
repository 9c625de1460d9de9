package io.credproxy.daemon.server;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.protocol.config.HostPort;
import java.net.InetSocketAddress;

/** The proxy port: a {@link Listener} whose connections get the {@link ProxyInitializer} pipeline. */
public final class ProxyServer implements AutoCloseable {
    private final Listener listener;

    private ProxyServer(Listener listener) {
        this.listener = listener;
    }

    /**
     * Binds the proxy port.
     *
     * @throws ConfigException when the address cannot be bound (in use, not local)
     */
    public static ProxyServer start(Transport transport, HostPort listen, ProxyContext proxy) throws ConfigException {
        return new ProxyServer(Listener.bind(transport, listen, new ProxyInitializer(proxy), "proxy", false));
    }

    public InetSocketAddress address() {
        return listener.address();
    }

    /** Whether the proxy port accepts connections. */
    public boolean isListening() {
        return listener.isOpen();
    }

    @Override
    public void close() {
        listener.close();
    }
}
