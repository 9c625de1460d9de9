package io.credproxy.agent.instrumentation.netty;

import static io.credproxy.agent.weave.Load.argument;
import static io.credproxy.agent.weave.Load.self;

import io.credproxy.agent.bootstrap.ForcedConnects;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * Netty's native transports (epoll, kqueue), in Netty 4.1 and 4.2 and every shaded copy
 * ({@code io.grpc.netty.shaded.io.netty.channel.unix.Socket}): their {@code connect(2)} never passes
 * {@code Socket} or {@code SocketChannelImpl}, so the agent changes the address at the last Java method
 * before it, {@code io.netty.channel.unix.Socket.connect(SocketAddress)}, to the daemon's transparent
 * listener ({@link ForcedConnects}).
 *
 * <p>A TCP fast-open send ({@code sendTo*(.., boolean fastOpen)} with {@code true}) is a connect by
 * another name; the transports' configs are told it is off ({@code NettyEpollInstrumentation},
 * {@code NettyKqueueInstrumentation}), and one asked for all the same is refused. The connect hook is
 * required once the class loads: a Netty whose socket cannot be woven stops the JVM, as the JDK's
 * socket fence does.
 */
public final class NettyNativeInstrumentation implements ClientInstrumentation {
    static final String SOCKET = "io.netty.channel.unix.Socket";
    static final String SOCKET_ADDRESS = "Ljava/net/SocketAddress;";
    private static final Call CHECK_FAST_OPEN = Call.to(ForcedConnects.class, "checkFastOpen", "(Z)V", argument("Z"));

    @Override
    public String client() {
        return "netty-native";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.inAnyPackage(SOCKET, MethodMatcher.named("connect").takes(SOCKET_ADDRESS).returns("Z"))
                        .atEntry(Call.to(ForcedConnects.class, "nativeDestination",
                                "(Ljava/lang/Object;Ljava/net/SocketAddress;)Ljava/net/SocketAddress;",
                                self(), argument(SOCKET_ADDRESS)).storeArgument(SOCKET_ADDRESS))
                        .required(),
                MethodHook.inAnyPackage(SOCKET, MethodMatcher.named("sendTo").takes("Z")).atEntry(CHECK_FAST_OPEN),
                MethodHook.inAnyPackage(SOCKET, MethodMatcher.named("sendToAddress").takes("Z")).atEntry(CHECK_FAST_OPEN),
                MethodHook.inAnyPackage(SOCKET, MethodMatcher.named("sendToAddresses").takes("Z")).atEntry(CHECK_FAST_OPEN));
    }
}
