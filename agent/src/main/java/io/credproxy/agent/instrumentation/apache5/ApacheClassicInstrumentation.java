package io.credproxy.agent.instrumentation.apache5;

import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.MethodHook;
import java.util.List;

/**
 * Apache HttpClient 5, classic (blocking): the daemon as proxy whatever route planner or proxy the
 * builder was given, and the app's identity on what goes to it.
 *
 * <p>The client asks its route planner in one private place, {@code InternalHttpClient.determineRoute},
 * whose parameters changed within 5.x ({@code (HttpHost, HttpContext)} in 5.1, {@code (HttpHost,
 * HttpRequest, HttpContext)} in 5.5) but whose {@code HttpRoute} result did not; the hook replaces that
 * route by one through the daemon (tunnelled for HTTPS), so custom planners and {@code setProxy(..)}
 * are overridden, for clients built before the agent attached too. HttpCore's blocking request writer
 * writes every request head; the header is added when the head is a CONNECT or an absolute-form
 * request, i.e. addressed to the proxy.
 */
public final class ApacheClassicInstrumentation implements ClientInstrumentation {
    @Override
    public String client() {
        return "apache-httpclient5";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                ApacheHookShapes.forcedRoute("org.apache.hc.client5.http.impl.classic.InternalHttpClient"),
                ApacheHookShapes.identityOnHeadLine("org.apache.hc.core5.http.impl.io.DefaultHttpRequestWriter",
                        "Lorg/apache/hc/core5/http/ClassicHttpRequest;"));
    }
}
