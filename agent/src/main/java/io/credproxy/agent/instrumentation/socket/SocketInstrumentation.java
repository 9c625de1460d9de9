package io.credproxy.agent.instrumentation.socket;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.credproxy.agent.bootstrap.SocketGuard;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.instrumentation.TypeAdvice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Raw {@code java.net.Socket} and {@code SSLSocket} connects: tunneled through the daemon or blocked,
 * unless the destination is exempt.
 *
 * <p>{@code Socket.connect(SocketAddress, int)} is where every socket connect passes, including
 * {@code SSLSocketImpl}'s (it calls {@code super.connect}). The advice swaps the destination for the
 * daemon's address and, once connected, runs the CONNECT handshake. Behind it, the platform
 * {@code SocketImpl} refuses any connect to a non-exempt address, which catches what goes around
 * {@code Socket.connect} (an application-configured SOCKS proxy, for one).
 */
public final class SocketInstrumentation implements ClientInstrumentation {
    @Override
    public String client() {
        return SocketGuard.SOCKET;
    }

    @Override
    public List<TypeAdvice> advice() {
        return List.of(
                TypeAdvice.required("java.net.Socket",
                        named("connect").and(takesArguments(SocketAddress.class, int.class)), ConnectAdvice.class),
                TypeAdvice.required("sun.nio.ch.NioSocketImpl",
                        named("connect").and(takesArguments(SocketAddress.class, int.class)), ImplConnectAdvice.class),
                // JDK 17 with -Djdk.net.usePlainSocketImpl; gone in later JDKs.
                TypeAdvice.optional("java.net.AbstractPlainSocketImpl",
                        named("connect").and(takesArguments(SocketAddress.class, int.class)), ImplConnectAdvice.class));
    }

    /** Not suppressed: a refusal or a failed tunnel is what the application must see. */
    static final class ConnectAdvice {
        private ConnectAdvice() {}

        @Advice.OnMethodEnter
        static InetSocketAddress enter(@Advice.Argument(value = 0, readOnly = false) SocketAddress endpoint) throws IOException {
            InetSocketAddress target = SocketGuard.tunnelTarget(endpoint);
            if (target != null) {
                endpoint = SocketGuard.proxyAddressFor(target);
            }
            return target;
        }

        @Advice.OnMethodExit
        static void exit(@Advice.This Socket socket, @Advice.Enter InetSocketAddress target) throws IOException {
            if (target != null) {
                SocketGuard.completeTunnel(socket, target);
            }
        }
    }

    static final class ImplConnectAdvice {
        private ImplConnectAdvice() {}

        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) SocketAddress remote) throws IOException {
            SocketGuard.checkImplConnect(remote);
        }
    }
}
