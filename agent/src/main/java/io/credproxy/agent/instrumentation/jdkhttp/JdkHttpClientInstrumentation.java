package io.credproxy.agent.instrumentation.jdkhttp;

import static io.credproxy.agent.weave.Load.argument;

import io.credproxy.agent.bootstrap.ForcedProxySelector;
import io.credproxy.agent.bootstrap.ProxyForcing;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * {@code java.net.http.HttpClient}, sync and async: the daemon as proxy whatever the builder was given
 * ({@code NO_PROXY}, a selector, none), and the app's identity on the CONNECT and on plain requests.
 *
 * <p>The client asks its selector once per request, in {@code HttpRequestImpl.retrieveProxy}; the
 * hook hands it the forced selector instead, so clients built before the agent attached are forced
 * too. {@code Http1Request.collectHeaders0} receives the request head holding only the request line;
 * the hook adds the header there, after the JDK's header filters (which drop a user-set Basic
 * {@code Proxy-Authorization} from CONNECTs). HTTP/2 requested through a proxy is negotiated inside the
 * tunnel; the daemon speaks HTTP/1.1 there, and the client falls back to it.
 */
public final class JdkHttpClientInstrumentation implements ClientInstrumentation {
    @Override
    public String client() {
        return "jdk-httpclient";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in("jdk.internal.net.http.HttpRequestImpl", MethodMatcher.exactly("retrieveProxy",
                                "(Ljava/net/http/HttpRequest;Ljava/net/ProxySelector;Ljava/net/URI;)Ljava/net/Proxy;"))
                        .atEntry(Call.to(ForcedProxySelector.class, "wrap",
                                "(Ljava/net/ProxySelector;)Ljava/net/ProxySelector;", argument(1)).storeArgument(1)),
                MethodHook.in("jdk.internal.net.http.Http1Request", MethodMatcher.exactly("collectHeaders0", "(Ljava/lang/StringBuilder;)V"))
                        .atEntry(Call.to(ProxyForcing.class, "appendIdentityLine", "(Ljava/lang/StringBuilder;)V", argument(0))));
    }
}
