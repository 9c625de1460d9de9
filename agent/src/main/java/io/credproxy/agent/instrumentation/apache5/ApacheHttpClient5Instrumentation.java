package io.credproxy.agent.instrumentation.apache5;

import static io.credproxy.agent.weave.Load.argument;

import io.credproxy.agent.bootstrap.ApacheHooks;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * Apache HttpClient 5, classic and async: the daemon as proxy whatever route planner or proxy the
 * builder was given, and the app's identity on what goes to it.
 *
 * <p>The clients ask their route planner in one private place, {@code determineRoute} of
 * {@code InternalHttpClient} (classic) and {@code InternalHttpAsyncClient} (async); the hook replaces
 * the route it returns by one through the daemon (tunnelled for HTTPS), so custom planners and
 * {@code setProxy(..)} are overridden, for clients built before the agent attached too. The HTTP/2-only
 * async client has no proxy support, so it is left to the socket layer. HttpCore's request writers
 * (blocking and non-blocking) write every request head; the header is added when the head is a CONNECT
 * or an absolute-form request, i.e. addressed to the proxy.
 */
public final class ApacheHttpClient5Instrumentation implements ClientInstrumentation {
    private static final String ROUTE = "Lorg/apache/hc/client5/http/HttpRoute;";
    private static final Call FORCE_ROUTE = Call.to(ApacheHooks.class, "forceRoute", "(Ljava/lang/Object;)Ljava/lang/Object;");
    private static final Call ADD_IDENTITY = Call.to(ApacheHooks.class, "addIdentity", "(Ljava/lang/Object;)V", argument(0));

    @Override
    public String client() {
        return "apache-httpclient5";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in("org.apache.hc.client5.http.impl.classic.InternalHttpClient", MethodMatcher.returning("determineRoute", ROUTE))
                        .replacingReturn(FORCE_ROUTE),
                MethodHook.in("org.apache.hc.client5.http.impl.async.InternalHttpAsyncClient", MethodMatcher.returning("determineRoute", ROUTE))
                        .replacingReturn(FORCE_ROUTE),
                MethodHook.in("org.apache.hc.core5.http.impl.io.DefaultHttpRequestWriter", MethodMatcher.exactly("writeHeadLine",
                                "(Lorg/apache/hc/core5/http/ClassicHttpRequest;Lorg/apache/hc/core5/util/CharArrayBuffer;)V"))
                        .atEntry(ADD_IDENTITY),
                MethodHook.in("org.apache.hc.core5.http.impl.nio.DefaultHttpRequestWriter", MethodMatcher.exactly("writeHeadLine",
                                "(Lorg/apache/hc/core5/http/HttpRequest;Lorg/apache/hc/core5/util/CharArrayBuffer;)V"))
                        .atEntry(ADD_IDENTITY));
    }
}
