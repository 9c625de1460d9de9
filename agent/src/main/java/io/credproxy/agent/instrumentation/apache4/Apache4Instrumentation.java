package io.credproxy.agent.instrumentation.apache4;

import static io.credproxy.agent.weave.Load.argument;

import io.credproxy.agent.bootstrap.Apache4Hooks;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * Apache HttpClient 4.3 to 4.5 (the AWS SDK v2's default synchronous client): the daemon as proxy
 * whatever route planner, proxy or {@code useSystemProperties()} the builder was given, and the app's
 * identity on what goes to it, as for HttpClient 5 ({@code ApacheClassicInstrumentation}).
 *
 * <p>{@code HttpClientBuilder} builds an {@code InternalHttpClient}, which asks its route planner in one
 * private place, {@code determineRoute(HttpHost, HttpRequest, HttpContext)}; the hook replaces the
 * {@code HttpRoute} it returns. Every request head, CONNECTs included, is written by HttpCore's
 * {@code DefaultHttpRequestWriter.writeHeadLine(HttpRequest)}, before the headers; the header is added
 * when the head is a CONNECT or an absolute-form request, i.e. addressed to the proxy.
 *
 * <p>The deprecated {@code DefaultHttpClient} (still in old code) is a client of its own in the events
 * ({@link #legacy()}): the same two changes in its own classes, {@code DefaultRequestDirector.determineRoute}
 * and the old {@code HttpRequestWriter}. The minimal client ({@code HttpClients.createMinimal()}) has no
 * route planner: the socket fence stands behind it.
 */
public final class Apache4Instrumentation implements ClientInstrumentation {
    private static final String ROUTE = "Lorg/apache/http/conn/routing/HttpRoute;";
    private static final String REQUEST = "Lorg/apache/http/HttpRequest;";

    private final String client;
    private final String routeOwner;
    private final String requestWriter;

    private Apache4Instrumentation(String client, String routeOwner, String requestWriter) {
        this.client = client;
        this.routeOwner = routeOwner;
        this.requestWriter = requestWriter;
    }

    /** {@code HttpClientBuilder}'s client ({@code HttpClients.createDefault()}, {@code custom()}). */
    public static Apache4Instrumentation current() {
        return new Apache4Instrumentation("apache-httpclient4", "org.apache.http.impl.client.InternalHttpClient",
                "org.apache.http.impl.io.DefaultHttpRequestWriter");
    }

    /** The deprecated {@code DefaultHttpClient} and its request director. */
    public static Apache4Instrumentation legacy() {
        return new Apache4Instrumentation("apache-httpclient4-legacy", "org.apache.http.impl.client.DefaultRequestDirector",
                "org.apache.http.impl.io.HttpRequestWriter");
    }

    @Override
    public String client() {
        return client;
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in(routeOwner, MethodMatcher.named("determineRoute").returns(ROUTE))
                        .replacingReturn(Call.to(Apache4Hooks.class, "forceRoute", "(Ljava/lang/Object;)Ljava/lang/Object;")),
                MethodHook.in(requestWriter, MethodMatcher.named("writeHeadLine").takes(REQUEST).returns("V"))
                        .atEntry(Call.to(Apache4Hooks.class, "addIdentity", "(Ljava/lang/Object;)V", argument(REQUEST))));
    }
}
