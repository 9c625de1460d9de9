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
 * Netty 4.2's io_uring transport (any shaded copy): its connect is a submission-queue entry, no
 * {@code connect(2)} call and no {@code Socket.connect}; the address is written to native memory in
 * {@code AbstractIoUringChannel.submitConnect(InetSocketAddress)} (also where a fast-open attempt
 * without a cookie falls back to), so the agent changes it there ({@link ForcedConnects}). Fast open
 * itself ({@code sendmsg(MSG_FASTOPEN)}) is off under the agent. The connect hook is required once
 * the class loads.
 */
public final class NettyIoUringInstrumentation implements ClientInstrumentation {
    private static final String INET_SOCKET_ADDRESS = "Ljava/net/InetSocketAddress;";

    @Override
    public String client() {
        return "netty-io_uring";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.inAnyPackage("io.netty.channel.uring.AbstractIoUringChannel",
                                MethodMatcher.named("submitConnect").takes(INET_SOCKET_ADDRESS).returns("V"))
                        .atEntry(Call.to(ForcedConnects.class, "uringDestination",
                                "(Ljava/lang/Object;Ljava/net/InetSocketAddress;)Ljava/net/InetSocketAddress;",
                                self(), argument(INET_SOCKET_ADDRESS)).storeArgument(INET_SOCKET_ADDRESS))
                        .required(),
                FastOpenOff.in("io.netty.channel.uring.IoUringSocketChannelConfig"));
    }
}
