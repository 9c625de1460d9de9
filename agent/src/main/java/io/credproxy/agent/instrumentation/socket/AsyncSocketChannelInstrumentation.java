package io.credproxy.agent.instrumentation.socket;

import static io.credproxy.agent.weave.Load.argument;

import io.credproxy.agent.bootstrap.ForcedConnects;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * {@code java.nio.channels.AsynchronousSocketChannel} connects: the platform implementation calls
 * {@code connect(2)} itself, never through {@code SocketChannelImpl}, and completes later on a
 * thread pool, so no handshake can run in it. Both {@code AsynchronousSocketChannelImpl.connect}
 * overloads (the {@code Future} one and the {@code CompletionHandler} one, on every platform) get the
 * daemon's transparent listener instead of the destination ({@link ForcedConnects}). Required: part of
 * the socket fence.
 */
public final class AsyncSocketChannelInstrumentation implements ClientInstrumentation {
    @Override
    public String client() {
        return ForcedConnects.ASYNC;
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(MethodHook.in("sun.nio.ch.AsynchronousSocketChannelImpl",
                        MethodMatcher.named("connect").takes(SocketInstrumentation.SOCKET_ADDRESS))
                .atEntry(Call.to(ForcedConnects.class, "asyncDestination",
                        "(Ljava/net/SocketAddress;)Ljava/net/SocketAddress;", argument(SocketInstrumentation.SOCKET_ADDRESS))
                        .storeArgument(SocketInstrumentation.SOCKET_ADDRESS))
                .required());
    }
}
