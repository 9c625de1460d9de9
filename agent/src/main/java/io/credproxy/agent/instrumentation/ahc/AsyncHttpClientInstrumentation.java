package io.credproxy.agent.instrumentation.ahc;

import static io.credproxy.agent.weave.Load.argument;

import io.credproxy.agent.bootstrap.AsyncHttpClientHooks;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * AsyncHttpClient 2.x and 3.x: the daemon as its HTTP proxy, with the app's identity (a preemptive
 * Basic proxy realm), whatever {@code ProxyServer} the request or the client's selector chose, on any
 * transport. Every request asks {@code ProxyUtils.getProxyServer(AsyncHttpClientConfig, Request)};
 * the hook replaces its answer. Without this the connect itself is still forced, to a transparent
 * listener (the Netty transport hooks), without a CONNECT.
 */
public final class AsyncHttpClientInstrumentation implements ClientInstrumentation {
    private static final String REQUEST = "Lorg/asynchttpclient/Request;";
    private static final String PROXY = "Lorg/asynchttpclient/proxy/ProxyServer;";

    @Override
    public String client() {
        return "async-http-client";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(MethodHook.in("org.asynchttpclient.util.ProxyUtils",
                        MethodMatcher.named("getProxyServer").takes("Lorg/asynchttpclient/AsyncHttpClientConfig;").takes(REQUEST).returns(PROXY))
                .replacingReturn(Call.to(AsyncHttpClientHooks.class, "forceProxy", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;",
                        argument(REQUEST))));
    }
}
