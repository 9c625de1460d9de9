package io.credproxy.agent.instrumentation.vertx;

import static io.credproxy.agent.weave.Load.argument;

import io.credproxy.agent.bootstrap.VertxHooks;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * Vert.x 5 HTTP client ({@code HttpClient}, {@code WebClient}, WebSocket client): the daemon as its
 * HTTP proxy, with the app's identity, whatever {@code ProxyOptions} (client or request) and proxy
 * filter it has, on any transport.
 *
 * <p>Every connection asks {@code HttpClientBase.computeProxyOptions(ProxyOptions, SocketAddress)},
 * which applies the client's filter to the request's or the client's options; the hook replaces what
 * it returns ({@link VertxHooks#forceProxy}). Without this the connect itself is still forced, to a
 * transparent listener (the Netty transport hooks), without a CONNECT.
 */
public final class VertxInstrumentation implements ClientInstrumentation {
    private static final String OPTIONS = "Lio/vertx/core/net/ProxyOptions;";
    private static final String ADDRESS = "Lio/vertx/core/net/SocketAddress;";

    @Override
    public String client() {
        return "vertx-http-client";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(MethodHook.in("io.vertx.core.http.impl.HttpClientBase",
                        MethodMatcher.named("computeProxyOptions").takes(OPTIONS).takes(ADDRESS).returns(OPTIONS))
                .replacingReturn(Call.to(VertxHooks.class, "forceProxy", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;",
                        argument(ADDRESS))));
    }
}
