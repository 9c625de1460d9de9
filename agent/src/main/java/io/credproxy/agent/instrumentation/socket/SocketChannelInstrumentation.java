package io.credproxy.agent.instrumentation.socket;

import static io.credproxy.agent.weave.Load.argument;
import static io.credproxy.agent.weave.Load.self;

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
 * connected the channel itself, so the method returns at once ({@code true}: connected). Required.
 */
public final class SocketChannelInstrumentation implements ClientInstrumentation {
    private static final String CONNECT_CHANNEL = "(Ljava/nio/channels/SocketChannel;Ljava/net/SocketAddress;)Z";

    @Override
    public String client() {
        return SocketGuard.CHANNEL;
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in("sun.nio.ch.SocketChannelImpl", MethodMatcher.exactly("connect", "(Ljava/net/SocketAddress;)Z"))
                        .atEntry(Call.to(SocketGuard.class, "connectChannel", CONNECT_CHANNEL, self(), argument(0))
                                .returnIfTrue())
                        .required(),
                MethodHook.in("sun.nio.ch.SocketChannelImpl", MethodMatcher.exactly("blockingConnect", "(Ljava/net/SocketAddress;J)V"))
                        .atEntry(Call.to(SocketGuard.class, "connectChannel", CONNECT_CHANNEL, self(), argument(0))
                                .returnIfTrue())
                        .required());
    }
}
