package io.credproxy.agent.instrumentation.apache5;

import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.MethodHook;
import java.util.List;

/**
 * Apache HttpClient 5, async: as {@link ApacheClassicInstrumentation}, at the async client's own
 * {@code InternalHttpAsyncClient.determineRoute} and HttpCore's non-blocking request writer.
 *
 * <p>A client of its own in the agent's events: an application that uses only the classic client
 * never loads these classes, and must not wait for them to count as instrumented. The HTTP/2-only
 * async client has no proxy support, so it is left to the socket layer.
 */
public final class ApacheAsyncInstrumentation implements ClientInstrumentation {
    @Override
    public String client() {
        return "apache-httpclient5-async";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                ApacheHookShapes.forcedRoute("org.apache.hc.client5.http.impl.async.InternalHttpAsyncClient"),
                ApacheHookShapes.identityOnHeadLine("org.apache.hc.core5.http.impl.nio.DefaultHttpRequestWriter",
                        "Lorg/apache/hc/core5/http/HttpRequest;"));
    }
}
