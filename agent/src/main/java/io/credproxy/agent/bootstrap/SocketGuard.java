package io.credproxy.agent.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;

/**
 * The fence for raw connections: decides, for each {@code Socket} or {@code SocketChannel} connect,
 * whether it goes direct (exempt), through a CONNECT tunnel to the daemon, or nowhere.
 *
 * <p>HTTP clients that the agent forces to the proxy connect to the daemon's own address, which is
 * always exempt; what reaches the tunnel or block branch is a connection that no client-level
 * instrumentation caught (a raw socket, an unknown client, a path the agent does not know). That is
 * why client-level advice may suppress its own failures: this layer still stands behind it.
 */
public final class SocketGuard {
    /** How long the daemon has to answer a CONNECT before the connect fails. */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;
    public static final String SOCKET = "java.net.Socket";
    public static final String CHANNEL = "java.nio.channels.SocketChannel";

    private SocketGuard() {}

    /**
     * Called as {@code Socket.connect} starts: {@code null} when the socket may connect where it
     * asked; otherwise the destination to tunnel to (the caller then connects to
     * {@link #proxyAddressFor} and calls {@link #completeTunnel}).
     *
     * @throws ConnectException when {@code sockets=block} refuses the destination
     */
    public static InetSocketAddress tunnelTarget(SocketAddress endpoint) throws ConnectException {
        EgressPolicy policy = AgentContext.policy();
        if (policy == null || !(endpoint instanceof InetSocketAddress)) {
            return null;
        }
        InetSocketAddress target = (InetSocketAddress) endpoint;
        if (policy.isExempt(target)) {
            return null;
        }
        if (policy.sockets() == EgressPolicy.SocketMode.BLOCK) {
            throw blocked(SOCKET, target, "sockets=block");
        }
        return target;
    }

    /**
     * Where {@code Socket.connect} actually connects: {@code endpoint} itself when {@code target} (the
     * answer of {@link #tunnelTarget}) is {@code null}, else the daemon ({@link #proxyAddressFor}).
     */
    public static SocketAddress destinationFor(SocketAddress endpoint, InetSocketAddress target) {
        return target == null ? endpoint : proxyAddressFor(target);
    }

    /**
     * Called as {@code Socket.connect} returns normally: runs the CONNECT handshake when the socket was
     * redirected to the daemon ({@code target} not {@code null}).
     */
    public static void afterConnect(Socket socket, InetSocketAddress target) throws IOException {
        if (target != null) {
            completeTunnel(socket, target);
        }
    }

    /**
     * The daemon's address, carrying the destination's name.
     *
     * <p>An {@code SSLSocket} connected without a host name takes the name for SNI and the
     * hostname check from the address it connected to; naming the destination here keeps both
     * pointing at the real destination rather than at the daemon.
     */
    public static InetSocketAddress proxyAddressFor(InetSocketAddress target) {
        InetSocketAddress proxy = AgentContext.policy().proxy();
        try {
            InetAddress named = InetAddress.getByAddress(target.getHostString(), proxy.getAddress().getAddress());
            return new InetSocketAddress(named, proxy.getPort());
        } catch (UnknownHostException e) {
            return proxy;
        }
    }

    /**
     * Runs the CONNECT handshake on a socket that has just connected to the daemon.
     *
     * <p>Uses the socket's {@code SocketImpl} streams, not {@code socket.getInputStream()}: for an
     * {@code SSLSocket} the latter is the TLS stream, and the handshake must happen below TLS.
     * On failure the socket is closed.
     */
    public static void completeTunnel(Socket socket, InetSocketAddress target) throws IOException {
        EgressPolicy policy = AgentContext.policy();
        String authority = TunnelHandshake.authority(target.getHostString(), target.getPort());
        int previousTimeout = 0;
        try {
            SocketImpl impl = (SocketImpl) RawStreams.GET_IMPL.invoke(socket);
            InputStream in = (InputStream) RawStreams.IMPL_INPUT.invoke(impl);
            OutputStream out = (OutputStream) RawStreams.IMPL_OUTPUT.invoke(impl);
            previousTimeout = socket.getSoTimeout();
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            TunnelHandshake.perform(in, out, authority, policy.proxyAuthorization());
            socket.setSoTimeout(previousTimeout);
        } catch (InvocationTargetException e) {
            closeQuietly(socket);
            throw e.getCause() instanceof IOException ? (IOException) e.getCause()
                    : new ConnectException("credproxy: cannot tunnel to " + authority + ": " + e.getCause());
        } catch (IOException e) {
            closeQuietly(socket);
            throw e;
        } catch (ReflectiveOperationException | RuntimeException e) {
            closeQuietly(socket);
            throw new ConnectException("credproxy: cannot tunnel to " + authority + ": " + e);
        }
        AgentContext.events().socketTunneled(SOCKET, target.getHostString(), target.getPort(), ApplicationFrame.find());
    }

    /**
     * Called as a {@code SocketChannel} connect starts: {@code false} when the channel may connect
     * where it asked; {@code true} when this method tunneled it through the daemon (the caller then
     * skips its own connect and reports the channel connected).
     *
     * <p>A non-blocking channel is switched to blocking mode for the handshake and back, which is
     * possible only while no selector holds it; one that is already registered is refused, never let
     * through.
     *
     * @throws ConnectException when the destination is refused
     */
    public static boolean connectChannel(SocketChannel channel, SocketAddress remote) throws IOException {
        EgressPolicy policy = AgentContext.policy();
        if (policy == null || !(remote instanceof InetSocketAddress)) {
            return false; // Unix domain sockets are local
        }
        InetSocketAddress target = (InetSocketAddress) remote;
        if (policy.isExempt(target)) {
            return false;
        }
        if (policy.sockets() == EgressPolicy.SocketMode.BLOCK) {
            throw blocked(CHANNEL, target, "sockets=block");
        }
        boolean blocking = channel.isBlocking();
        if (!blocking && channel.isRegistered()) {
            throw blocked(CHANNEL, target, "a non-blocking channel registered with a selector cannot be tunneled");
        }
        String authority = TunnelHandshake.authority(target.getHostString(), target.getPort());
        try {
            if (!blocking) {
                channel.configureBlocking(true);
            }
            channel.connect(proxyAddressFor(target)); // comes back through the advice as exempt
            Socket adaptor = channel.socket();
            int previousTimeout = adaptor.getSoTimeout();
            adaptor.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            // The adaptor's streams honour SO_TIMEOUT; the channel's own would block for ever.
            TunnelHandshake.perform(adaptor.getInputStream(), adaptor.getOutputStream(), authority,
                    policy.proxyAuthorization());
            adaptor.setSoTimeout(previousTimeout);
            if (!blocking) {
                channel.configureBlocking(false);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
        AgentContext.events().socketTunneled(CHANNEL, target.getHostString(), target.getPort(), ApplicationFrame.find());
        return true;
    }

    /**
     * The last line, at the platform {@code SocketImpl}: a connect that reaches it must be to an
     * exempt address (the daemon, after {@code Socket.connect} was redirected) or it is refused.
     * This catches what goes around {@code Socket.connect}, such as a SOCKS proxy the application
     * configured.
     */
    public static void checkImplConnect(SocketAddress remote) throws ConnectException {
        EgressPolicy policy = AgentContext.policy();
        if (policy == null || !(remote instanceof InetSocketAddress)) {
            return;
        }
        InetSocketAddress target = (InetSocketAddress) remote;
        if (!policy.isExempt(target)) {
            throw blocked("java.net.SocketImpl", target, "not through the daemon");
        }
    }

    /** The exception a refused connect fails with; its message starts with the contract's words. */
    static ConnectException blocked(String client, InetSocketAddress target, String reason) {
        AgentContext.events().socketBlocked(client, target.getHostString(), target.getPort(), ApplicationFrame.find());
        return new ConnectException("credproxy: blocked direct connection to "
                + TunnelHandshake.authority(target.getHostString(), target.getPort()) + " (" + reason + ")");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // the connect already failed; that failure is what the caller sees
        }
    }

    /**
     * Reflective access to the socket's raw streams; needs {@code java.net} opened to this module,
     * which the installer does with {@code Instrumentation.redefineModule}.
     */
    private static final class RawStreams {
        static final Method GET_IMPL;
        static final Method IMPL_INPUT;
        static final Method IMPL_OUTPUT;

        static {
            try {
                GET_IMPL = Socket.class.getDeclaredMethod("getImpl");
                GET_IMPL.setAccessible(true);
                IMPL_INPUT = SocketImpl.class.getDeclaredMethod("getInputStream");
                IMPL_INPUT.setAccessible(true);
                IMPL_OUTPUT = SocketImpl.class.getDeclaredMethod("getOutputStream");
                IMPL_OUTPUT.setAccessible(true);
            } catch (NoSuchMethodException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
