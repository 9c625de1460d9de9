package io.credproxy.daemon.server;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.protocol.config.HostPort;
import io.netty.channel.group.ChannelGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loopback listeners that each stand for one CONNECT made in advance: every connection accepted on
 * one is handled exactly as a CONNECT by its app to its destination ({@link TransparentInitializer}).
 *
 * <p>Why: the agent cannot run a CONNECT handshake inside a non-blocking or native connect (a Netty
 * event loop, an {@code AsynchronousSocketChannel}, epoll's {@code connect(2)}) without becoming part
 * of the application's pipeline. It can change the address, though. So it asks the admin port once
 * per destination for "the listener of {@code app} for {@code host:port}" and connects there; the
 * application's own bytes (its TLS ClientHello, or whatever the protocol is) arrive at a listener
 * that already knows the destination, and the stages decide as for a CONNECT: intercept, tunnel or
 * refuse. Nothing is read from the connection to choose the destination (no SNI or Host peeking), so
 * it works for any protocol, and a TLS server name or Host header that names another host is refused
 * by the same check as inside a CONNECT.
 *
 * <p>Listeners are bound on the proxy port's address, on an ephemeral port, and live as long as the
 * daemon: a port, once handed out, never comes to mean another destination (an agent may cache it).
 * At most {@value #MAX_LISTENERS}; past that a request is refused ({@link LimitReachedException}).
 * Anyone who can reach the proxy port can ask for one, which gives them nothing the proxy port does
 * not: the same CONNECT, under the same policy. Thread-safe.
 */
public final class TransparentListeners implements AutoCloseable {
    /** Listeners at most, over all apps and destinations. */
    public static final int MAX_LISTENERS = 512;

    private final Transport transport;
    private final String bindHost;
    private final ProxyContext proxy;
    private final ChannelGroup clients;
    private final int maxListeners;
    private final Map<Key, Listener> listeners = new LinkedHashMap<>();
    private boolean closed;

    private record Key(String app, HostPort destination) {}

    /** Thrown when every listener the daemon allows is in use. */
    public static final class LimitReachedException extends Exception {
        LimitReachedException(int max) {
            super("all " + max + " transparent listeners are in use");
        }
    }

    /**
     * @param bindHost the address listeners are bound on (the proxy port's)
     * @param clients every accepted connection joins it (the daemon drains them on shutdown)
     * @param maxListeners at most this many listeners
     */
    public TransparentListeners(Transport transport, String bindHost, ProxyContext proxy, ChannelGroup clients, int maxListeners) {
        this.transport = transport;
        this.bindHost = bindHost;
        this.proxy = proxy;
        this.clients = clients;
        this.maxListeners = maxListeners;
    }

    /**
     * The listener whose connections are {@code app}'s CONNECTs to {@code destination}; bound now
     * if there is none yet.
     *
     * @throws LimitReachedException when {@value #MAX_LISTENERS} listeners are bound already
     * @throws ConfigException when no port could be bound
     */
    public synchronized InetSocketAddress listenerFor(String app, HostPort destination)
            throws LimitReachedException, ConfigException {
        if (closed) {
            throw new ConfigException("the daemon is stopping");
        }
        Key key = new Key(app, destination);
        Listener listener = listeners.get(key);
        if (listener == null) {
            if (listeners.size() >= maxListeners) {
                throw new LimitReachedException(maxListeners);
            }
            listener = Listener.bind(transport, new HostPort(bindHost, 0),
                    new TransparentInitializer(proxy, app, destination, clients), "transparent listener of " + destination, false);
            listeners.put(key, listener);
        }
        return listener.address();
    }

    /** How many listeners are bound. */
    public synchronized int size() {
        return listeners.size();
    }

    @Override
    public void close() {
        List<Listener> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(listeners.values());
            listeners.clear();
        }
        all.forEach(Listener::close);
    }
}
