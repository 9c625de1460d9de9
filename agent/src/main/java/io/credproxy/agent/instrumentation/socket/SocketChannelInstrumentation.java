package io.credproxy.agent.instrumentation.socket;

import static io.credproxy.agent.weave.Load.argument;
import static io.credproxy.agent.weave.Load.self;

import io.credproxy.agent.bootstrap.ForcedConnects;
import io.credproxy.agent.bootstrap.SocketGuard;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * {@code java.nio.channels.SocketChannel} connects (the JDK HttpClient, Apache's async I/O reactor,
 * Netty's NIO transport): tunneled through the daemon or blocked, unless exempt.
 *
 * <p>{@code SocketChannelImpl.connect} serves {@code SocketChannel.connect} and {@code open(address)};
 * {@code blockingConnect} serves the channel's socket adaptor. When {@link SocketGuard} tunnels, it has
 * connected the channel itself, so the method returns at once ({@code true}: connected). Both are
 * matched by name and the {@code SocketAddress} they take, and by the {@code boolean} or {@code void}
 * they return, which the early return needs. Required.
 *
 * <p>A non-blocking channel a selector already holds (Netty's NIO transport registers before it
 * connects) cannot be switched to blocking for a handshake: {@code connect} first gives it the
 * daemon's transparent listener for its destination instead ({@link ForcedConnects}), which the
 * fence then lets through.
 */
public final class SocketChannelInstrumentation implements ClientInstrumentation {
    private static final Call CONNECT_CHANNEL = Call.to(SocketGuard.class, "connectChannel",
            "(Ljava/nio/channels/SocketChannel;Ljava/net/SocketAddress;)Z", self(), argument(SocketInstrumentation.SOCKET_ADDRESS))
            .returnIfTrue();

    @Override
    public String client() {
        return SocketGuard.CHANNEL;
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in("sun.nio.ch.SocketChannelImpl",
                                MethodMatcher.named("connect").takes(SocketInstrumentation.SOCKET_ADDRESS).returns("Z"))
                        .atEntry(Call.to(ForcedConnects.class, "channelDestination",
                                "(Ljava/nio/channels/SocketChannel;Ljava/net/SocketAddress;)Ljava/net/SocketAddress;",
                                self(), argument(SocketInstrumentation.SOCKET_ADDRESS))
                                .storeArgument(SocketInstrumentation.SOCKET_ADDRESS))
                        .atEntry(CONNECT_CHANNEL)
                        .required(),
                MethodHook.in("sun.nio.ch.SocketChannelImpl",
                                MethodMatcher.named("blockingConnect").takes(SocketInstrumentation.SOCKET_ADDRESS).returns("V"))
                        .atEntry(CONNECT_CHANNEL)
                        .required());
    }
}
