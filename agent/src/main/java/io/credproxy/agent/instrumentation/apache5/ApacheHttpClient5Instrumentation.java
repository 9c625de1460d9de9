package io.credproxy.agent.instrumentation.apache5;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.credproxy.agent.bootstrap.ProxyForcing;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.instrumentation.TypeAdvice;
import java.net.InetSocketAddress;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;

/**
 * Apache HttpClient 5, classic and async: the daemon as proxy whatever route planner or proxy the
 * builder was given, and the app's identity on what goes to it.
 *
 * <p>The clients ask their route planner in one private place, {@code determineRoute} of
 * {@code InternalHttpClient} (classic) and {@code InternalHttpAsyncClient} (async); the advice replaces
 * the route it returns by one through the daemon (tunnelled for HTTPS), so custom planners and
 * {@code setProxy(..)} are overridden, for clients built before the agent attached too. The HTTP/2-only
 * async client has no proxy support, so it is left to the socket layer. HttpCore's request writers
 * (blocking and non-blocking) write every request head; the header is added when the head is a CONNECT
 * or an absolute-form request, i.e. addressed to the proxy.
 */
public final class ApacheHttpClient5Instrumentation implements ClientInstrumentation {
    @Override
    public String client() {
        return "apache-httpclient5";
    }

    @Override
    public List<TypeAdvice> advice() {
        return List.of(
                TypeAdvice.optional("org.apache.hc.client5.http.impl.classic.InternalHttpClient",
                        named("determineRoute").and(returns(named("org.apache.hc.client5.http.HttpRoute"))),
                        RouteAdvice.class),
                TypeAdvice.optional("org.apache.hc.client5.http.impl.async.InternalHttpAsyncClient",
                        named("determineRoute").and(returns(named("org.apache.hc.client5.http.HttpRoute"))),
                        RouteAdvice.class),
                TypeAdvice.optional("org.apache.hc.core5.http.impl.io.DefaultHttpRequestWriter",
                        named("writeHeadLine").and(takesArguments(2)).and(not(isBridge())), IdentityAdvice.class),
                TypeAdvice.optional("org.apache.hc.core5.http.impl.nio.DefaultHttpRequestWriter",
                        named("writeHeadLine").and(takesArguments(2)).and(not(isBridge())), IdentityAdvice.class));
    }

    /** Suppressed: should it fail, the socket layer still tunnels or blocks the direct connection. */
    static final class RouteAdvice {
        private RouteAdvice() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return(readOnly = false) HttpRoute route) {
            if (route != null) {
                HttpHost target = route.getTargetHost();
                InetSocketAddress proxy = ProxyForcing.proxyFor(target.getHostName(), target.getPort(), target.getSchemeName());
                if (proxy != null) {
                    route = new HttpRoute(target, route.getLocalAddress(),
                            new HttpHost("http", proxy.getHostString(), proxy.getPort()), route.isSecure());
                }
            }
        }
    }

    static final class IdentityAdvice {
        private IdentityAdvice() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) HttpRequest request) {
            String value = ProxyForcing.identityForRequest(request.getMethod(), request.getRequestUri());
            if (value != null) {
                request.setHeader("Proxy-Authorization", value);
            }
        }
    }
}
