package io.credproxy.agent.instrumentation.socket;

import static io.credproxy.agent.weave.Load.argument;
import static io.credproxy.agent.weave.Load.local;
import static io.credproxy.agent.weave.Load.self;

import io.credproxy.agent.bootstrap.SocketGuard;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * Raw {@code java.net.Socket} and {@code SSLSocket} connects: tunneled through the daemon or blocked,
 * unless the destination is exempt.
 *
 * <p>{@code Socket.connect(SocketAddress, int)} is where every socket connect passes, including
 * {@code SSLSocketImpl}'s (it calls {@code super.connect}). At its entry the destination is swapped for
 * the daemon's address (the original destination kept in the hook's local); when it returns, the
 * CONNECT handshake runs. Behind it, the platform {@code SocketImpl} refuses any connect to a
 * non-exempt address, which catches what goes around {@code Socket.connect} (an
 * application-configured SOCKS proxy, for one). These hooks are required: the agent refuses to start
 * without them. Their helpers' refusals and failed tunnels are exactly what the application must see.
 */
public final class SocketInstrumentation implements ClientInstrumentation {
    private static final String CONNECT = "(Ljava/net/SocketAddress;I)V";
    private static final String IMPL_CHECK = "(Ljava/net/SocketAddress;)V";

    @Override
    public String client() {
        return SocketGuard.SOCKET;
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in("java.net.Socket", MethodMatcher.exactly("connect", CONNECT))
                        .atEntry(Call.to(SocketGuard.class, "tunnelTarget",
                                "(Ljava/net/SocketAddress;)Ljava/net/InetSocketAddress;", argument(0)).storeLocal())
                        .atEntry(Call.to(SocketGuard.class, "destinationFor",
                                "(Ljava/net/SocketAddress;Ljava/net/InetSocketAddress;)Ljava/net/SocketAddress;",
                                argument(0), local()).storeArgument(0))
                        .beforeReturn(Call.to(SocketGuard.class, "afterConnect",
                                "(Ljava/net/Socket;Ljava/net/InetSocketAddress;)V", self(), local()))
                        .required(),
                MethodHook.in("sun.nio.ch.NioSocketImpl", MethodMatcher.exactly("connect", CONNECT))
                        .atEntry(Call.to(SocketGuard.class, "checkImplConnect", IMPL_CHECK, argument(0)))
                        .required(),
                // JDK 17 with -Djdk.net.usePlainSocketImpl; gone in later JDKs.
                MethodHook.in("java.net.AbstractPlainSocketImpl", MethodMatcher.exactly("connect", CONNECT))
                        .atEntry(Call.to(SocketGuard.class, "checkImplConnect", IMPL_CHECK, argument(0))));
    }
}
