package io.credproxy.agent.instrumentation.jdkhttp;

import static io.credproxy.agent.weave.Load.argument;

import io.credproxy.agent.bootstrap.ProxyForcing;
import io.credproxy.agent.bootstrap.SelectorForcing;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * {@code java.net.http.HttpClient}, sync and async: the daemon as proxy whatever the builder was given
 * ({@code NO_PROXY}, a selector, none), and the app's identity on the CONNECT and on plain requests.
 *
 * <p>The client hands its selector to the {@code HttpRequestImpl} constructor that copies the
 * application's request for sending ({@code new HttpRequestImpl(userRequest, proxySelector)} in
 * {@code HttpClientImpl.sendAsync}), which asks it for the request's proxy. The hook replaces that
 * argument with the forced selector, so clients built before the agent attached are forced too. It
 * hooks the caller, not the private {@code retrieveProxy} that asks the selector, because that one
 * changed shape within Java 17 ({@code (ProxySelector, URI)} in 17.0.15, {@code (HttpRequest,
 * ProxySelector, URI)} in later updates, as in 21 and 25), and finds the selector by its type, so a
 * constructor that gains a parameter (Java 11 had {@code (HttpRequest, ProxySelector,
 * AccessControlContext)}) still matches. {@code Http1Request.collectHeaders0} receives the request head
 * holding only the request line; the hook adds the header there, after the JDK's header filters (which
 * drop a user-set Basic {@code Proxy-Authorization} from CONNECTs). HTTP/2 requested through a proxy is
 * negotiated inside the tunnel; the daemon speaks HTTP/1.1 there, and the client falls back to it.
 */
public final class JdkHttpClientInstrumentation implements ClientInstrumentation {
    private static final String SELECTOR = "Ljava/net/ProxySelector;";
    private static final String HEAD = "Ljava/lang/StringBuilder;";

    @Override
    public String client() {
        return "jdk-httpclient";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in("jdk.internal.net.http.HttpRequestImpl", MethodMatcher.constructor().takes(SELECTOR))
                        .atEntry(Call.to(SelectorForcing.class, "wrap", "(" + SELECTOR + ")" + SELECTOR, argument(SELECTOR))
                                .storeArgument(SELECTOR)),
                MethodHook.in("jdk.internal.net.http.Http1Request", MethodMatcher.named("collectHeaders0").takes(HEAD).returns("V"))
                        .atEntry(Call.to(ProxyForcing.class, "appendIdentityLine", "(" + HEAD + ")V", argument(HEAD))));
    }
}
