package io.credproxy.agent.instrumentation.socket;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.credproxy.agent.bootstrap.SocketGuard;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.instrumentation.TypeAdvice;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * {@code java.nio.channels.SocketChannel} connects (the JDK HttpClient, Apache's async I/O reactor,
 * Netty's NIO transport): tunneled through the daemon or blocked, unless exempt.
 *
 * <p>{@code SocketChannelImpl.connect} serves {@code SocketChannel.connect} and {@code open(address)};
 * {@code blockingConnect} serves the channel's socket adaptor. When {@link SocketGuard} tunnels, it has
 * connected the channel itself, so the original body is skipped and the connect reported done.
 */
public final class SocketChannelInstrumentation implements ClientInstrumentation {
    @Override
    public String client() {
        return SocketGuard.CHANNEL;
    }

    @Override
    public List<TypeAdvice> advice() {
        return List.of(
                TypeAdvice.required("sun.nio.ch.SocketChannelImpl",
                        named("connect").and(takesArguments(SocketAddress.class)), ConnectAdvice.class),
                TypeAdvice.required("sun.nio.ch.SocketChannelImpl",
                        named("blockingConnect").and(takesArguments(SocketAddress.class, long.class)),
                        BlockingConnectAdvice.class));
    }

    static final class ConnectAdvice {
        private ConnectAdvice() {}

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.This SocketChannel channel, @Advice.Argument(0) SocketAddress remote) throws IOException {
            return SocketGuard.connectChannel(channel, remote);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter boolean tunneled, @Advice.Return(readOnly = false) boolean connected) {
            if (tunneled) {
                connected = true;
            }
        }
    }

    static final class BlockingConnectAdvice {
        private BlockingConnectAdvice() {}

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.This SocketChannel channel, @Advice.Argument(0) SocketAddress remote) throws IOException {
            return SocketGuard.connectChannel(channel, remote);
        }
    }
}
