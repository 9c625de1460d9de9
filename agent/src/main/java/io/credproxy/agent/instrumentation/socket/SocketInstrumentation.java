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
 * Each is matched by name and the {@code SocketAddress} and timeout it needs: {@code connect(String,
 * int)} and {@code connect(InetAddress, int)} of the {@code SocketImpl}s take no {@code SocketAddress}.
 */
public final class SocketInstrumentation implements ClientInstrumentation {
    static final String SOCKET_ADDRESS = "Ljava/net/SocketAddress;";
    private static final Call CHECK_IMPL_CONNECT = Call.to(SocketGuard.class, "checkImplConnect",
            "(Ljava/net/SocketAddress;)V", argument(SOCKET_ADDRESS));

    @Override
    public String client() {
        return SocketGuard.SOCKET;
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in("java.net.Socket", connect())
                        .atEntry(Call.to(SocketGuard.class, "tunnelTarget",
                                "(Ljava/net/SocketAddress;)Ljava/net/InetSocketAddress;", argument(SOCKET_ADDRESS)).storeLocal())
                        .atEntry(Call.to(SocketGuard.class, "destinationFor",
                                "(Ljava/net/SocketAddress;Ljava/net/InetSocketAddress;)Ljava/net/SocketAddress;",
                                argument(SOCKET_ADDRESS), local()).storeArgument(SOCKET_ADDRESS))
                        .beforeReturn(Call.to(SocketGuard.class, "afterConnect",
                                "(Ljava/net/Socket;Ljava/net/InetSocketAddress;)V", self(), local()))
                        .required(),
                MethodHook.in("sun.nio.ch.NioSocketImpl", connect()).atEntry(CHECK_IMPL_CONNECT).required(),
                // JDK 17 with -Djdk.net.usePlainSocketImpl; gone in later JDKs.
                MethodHook.in("java.net.AbstractPlainSocketImpl", connect()).atEntry(CHECK_IMPL_CONNECT).optional());
    }

    /** {@code connect(SocketAddress, int timeout)}, wherever the two stand. */
    private static MethodMatcher connect() {
        return MethodMatcher.named("connect").takes(SOCKET_ADDRESS).takes("I").returns("V");
    }
}
