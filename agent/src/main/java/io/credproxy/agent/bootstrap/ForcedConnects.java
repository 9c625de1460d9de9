package io.credproxy.agent.bootstrap;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Locale;

/**
 * Forces the connects the agent cannot run a CONNECT handshake in through the daemon by changing
 * their address: non-blocking {@code SocketChannel}s registered with a selector (every Netty NIO
 * client), {@code AsynchronousSocketChannel}s, and Netty's native transports (epoll, kqueue,
 * io_uring), whose {@code connect(2)} never passes {@code Socket} or {@code SocketChannelImpl}.
 *
 * <p>Such a connect goes to the daemon's transparent listener for the destination the application
 * asked for ({@link TransparentRoutes}), which treats every connection as a CONNECT by this app to that
 * destination: the application's own bytes (its TLS ClientHello) reach the daemon, and nothing runs
 * in its pipeline. {@code sockets=block} does not apply: these connects reach the daemon, never the
 * destination. An exempt destination is left alone. When the daemon cannot be asked, the connect
 * fails with a {@code credproxy:} {@link ConnectException}, never goes direct. Each forced or
 * refused connect is reported with the client and the application frame.
 */
public final class ForcedConnects {
    public static final String NIO = "java.nio.channels.SocketChannel (non-blocking)";
    public static final String ASYNC = "java.nio.channels.AsynchronousSocketChannel";
    /** {@code SOL_SOCKET}/{@code SO_TYPE} and {@code SOCK_DGRAM}: Linux, else the BSDs' (macOS). */
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    private static final int SOL_SOCKET = LINUX ? 1 : 0xffff;
    private static final int SO_TYPE = LINUX ? 3 : 0x1008;
    private static final int SOCK_DGRAM = 2;

    private ForcedConnects() {}

    /**
     * At {@code SocketChannelImpl.connect}: the transparent listener for a non-blocking channel that a
     * selector holds (no handshake can run on it), else {@code remote} unchanged (the fence behind
     * decides as for any channel).
     */
    public static SocketAddress channelDestination(SocketChannel channel, SocketAddress remote) throws IOException {
        if (channel.isBlocking() || !channel.isRegistered()) {
            return remote;
        }
        return forced(NIO, remote);
    }

    /** At {@code AsynchronousSocketChannel.connect}: the transparent listener unless exempt. */
    public static SocketAddress asyncDestination(SocketAddress remote) throws IOException {
        return forced(ASYNC, remote);
    }

    /**
     * At Netty's {@code io.netty.channel.unix.Socket.connect(SocketAddress)} (any shaded copy), the last
     * Java method before epoll's and kqueue's {@code connect(2)}: the transparent listener unless
     * exempt. A datagram socket's connect (UDP) is left alone: the agent fences TCP only.
     */
    public static SocketAddress nativeDestination(Object socket, SocketAddress remote) throws IOException {
        if (!needsForcing(remote) || isDatagram(socket)) {
            return remote;
        }
        return route(socket.getClass().getName(), (InetSocketAddress) remote);
    }

    /**
     * At Netty io_uring's {@code submitConnect(InetSocketAddress)}: the transparent listener unless
     * exempt; a datagram channel's connect is left alone.
     */
    public static InetSocketAddress uringDestination(Object channel, InetSocketAddress remote) throws IOException {
        if (!needsForcing(remote) || channel.getClass().getName().endsWith("DatagramChannel")) {
            return remote;
        }
        return route(channel.getClass().getName(), remote);
    }

    /**
     * At Netty's {@code isTcpFastOpenConnect()} of a client channel's config: {@code false} under the
     * agent. A fast-open connect sends its first bytes with {@code sendto(MSG_FASTOPEN)} instead of
     * {@code connect(2)}, around the hook above; without it, the connect takes the hooked path.
     */
    public static boolean fastOpen(boolean configured) {
        return configured && AgentContext.policy() == null;
    }

    /**
     * At Netty's {@code Socket.sendTo*(.., boolean fastOpen)}: refuses a fast-open send (a connect by
     * another name) under the agent; the configs above never ask for one, so only code that calls the
     * socket directly meets this.
     */
    public static void checkFastOpen(boolean fastOpen) throws IOException {
        if (fastOpen && AgentContext.policy() != null) {
            throw new ConnectException("credproxy: refused a TCP fast-open connect (it would bypass the daemon)");
        }
    }

    private static boolean needsForcing(SocketAddress remote) {
        EgressPolicy policy = AgentContext.policy();
        return policy != null && remote instanceof InetSocketAddress && !policy.isExempt((InetSocketAddress) remote);
    }

    /** {@code remote} itself when exempt, else the daemon's listener for it; reported either way. */
    static SocketAddress forced(String client, SocketAddress remote) throws IOException {
        return needsForcing(remote) ? route(client, (InetSocketAddress) remote) : remote;
    }

    /** The daemon's listener for {@code target}, which needs forcing (checked by the caller, once); reported. */
    private static InetSocketAddress route(String client, InetSocketAddress target) throws IOException {
        String host = target.getHostString();
        InetSocketAddress listener;
        try {
            listener = AgentContext.routes().listenerFor(host, target.getPort());
        } catch (IOException | RuntimeException e) {
            AgentContext.events().socketBlocked(client, host, target.getPort(), ApplicationFrame.findOrThread());
            throw new ConnectException("credproxy: cannot route " + TunnelHandshake.authority(host, target.getPort())
                    + " through the daemon (" + e.getMessage() + ")");
        }
        AgentContext.events().socketTunneled(client, host, target.getPort(), ApplicationFrame.findOrThread());
        return listener;
    }

    /** Whether a Netty socket is a datagram (UDP) socket; when that cannot be told, it is taken for TCP. */
    private static boolean isDatagram(Object socket) {
        try {
            Method getIntOpt = socket.getClass().getMethod("getIntOpt", int.class, int.class);
            return ((Integer) getIntOpt.invoke(socket, SOL_SOCKET, SO_TYPE)) == SOCK_DGRAM;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
