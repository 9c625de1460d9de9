package io.credproxy.agent.instrumentation.reactor;

import static io.credproxy.agent.weave.Load.self;

import io.credproxy.agent.bootstrap.ReactorNettyHooks;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * Reactor Netty 1.x ({@code HttpClient}, {@code TcpClient}; Spring's {@code WebClient}): the daemon as
 * its proxy, with the app's identity, whatever {@code proxy(..)}, {@code noProxy()} or
 * {@code proxyWithSystemProperties()} set, on any transport (NIO, epoll, io_uring).
 *
 * <p>The proxy lives in a field of the client's {@code ClientTransportConfig}, written directly by the
 * client's builder methods and read in three places on the way to a connection: the
 * {@code proxyProvider()} getter (connect, pool key, HTTP request form), {@code hasProxy()} and
 * {@code defaultOnChannelInit()} (which adds the proxy handler to the pipeline). Each gets a call at
 * entry that sets the field to the daemon's {@code ProxyProvider} (built once, with Reactor's own
 * builder), so all of them agree. Without this the connect itself is still forced, to a transparent
 * listener (the Netty transport hooks), without a CONNECT.
 */
public final class ReactorNettyInstrumentation implements ClientInstrumentation {
    private static final String CONFIG = "reactor.netty.transport.ClientTransportConfig";

    @Override
    public String client() {
        return "reactor-netty";
    }

    @Override
    public List<MethodHook> hooks() {
        Call force = Call.to(ReactorNettyHooks.class, "forceProxy", "(Ljava/lang/Object;)V", self());
        return List.of(
                MethodHook.in(CONFIG, MethodMatcher.named("proxyProvider").returns("Lreactor/netty/transport/ProxyProvider;")).atEntry(force),
                MethodHook.in(CONFIG, MethodMatcher.named("hasProxy").returns("Z")).atEntry(force),
                MethodHook.in(CONFIG, MethodMatcher.named("defaultOnChannelInit").returns("Lreactor/netty/ChannelPipelineConfigurer;"))
                        .atEntry(force));
    }
}
