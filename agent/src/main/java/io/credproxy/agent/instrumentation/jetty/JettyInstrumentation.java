package io.credproxy.agent.instrumentation.jetty;

import static io.credproxy.agent.weave.Load.argument;

import io.credproxy.agent.bootstrap.JettyHooks;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * Jetty 12 {@code HttpClient} (12.0 and 12.1): the daemon as its HTTP proxy whatever
 * {@code ProxyConfiguration} it was given, and the app's identity on what goes to it.
 *
 * <p>Each {@code HttpDestination} (one per origin) asks {@code ProxyConfiguration.match(Origin)} once for
 * its proxy and builds its connection factories from the answer; the hook replaces the answer, so a
 * proxy the application configured (or none) becomes the daemon, HTTPS through a CONNECT. Every
 * request a connection sends, the CONNECT included, passes {@code HttpConnection.normalizeRequest},
 * which sets its final path; the header is added there, before the head is generated. Jetty's TLS
 * ({@code SslContextFactory.Client} without a trust store of its own) uses the JVM's default trust,
 * which trusts the daemon's CA under the agent.
 */
public final class JettyInstrumentation implements ClientInstrumentation {
    private static final String ORIGIN = "Lorg/eclipse/jetty/client/Origin;";
    private static final String PROXY = "Lorg/eclipse/jetty/client/ProxyConfiguration$Proxy;";
    private static final String REQUEST = "Lorg/eclipse/jetty/client/transport/HttpRequest;";

    @Override
    public String client() {
        return "jetty-client12";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in("org.eclipse.jetty.client.ProxyConfiguration", MethodMatcher.named("match").takes(ORIGIN).returns(PROXY))
                        .replacingReturn(Call.to(JettyHooks.class, "forceProxy", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;",
                                argument(ORIGIN))),
                MethodHook.in("org.eclipse.jetty.client.transport.HttpConnection",
                                MethodMatcher.named("normalizeRequest").takes(REQUEST).returns("V"))
                        .beforeReturn(Call.to(JettyHooks.class, "addIdentity", "(Ljava/lang/Object;)V", argument(REQUEST))));
    }
}
