package io.credproxy.agent.instrumentation.urlconnection;

import static io.credproxy.agent.weave.Load.argument;
import static io.credproxy.agent.weave.Load.field;

import io.credproxy.agent.bootstrap.ProxyForcing;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * {@code HttpURLConnection} and {@code HttpsURLConnection}: the daemon as the connection's proxy,
 * whatever {@code openConnection(Proxy)} was given, and the app's identity on every request to it.
 *
 * <p>Every HTTP(S) connection object is built by a constructor of
 * {@code sun.net.www.protocol.http.HttpURLConnection} that takes the URL and the {@code Proxy}
 * ({@code (URL, Proxy, Handler)}, which {@code (URL, Proxy)} calls; the HTTPS one through its
 * delegate); replacing the proxy argument there makes the connection skip the {@code ProxySelector}
 * and the application's {@code Proxy.NO_PROXY}. Every constructor taking both is hooked, so the hook
 * holds if the JDK drops or adds a parameter; where one calls the other, the proxy is forced twice,
 * to the same answer. The JDK calls {@code setPreemptiveProxyAuthentication} exactly for the CONNECT
 * and for plain requests sent to a proxy, which is where the {@code Proxy-Authorization} header belongs.
 */
public final class UrlConnectionInstrumentation implements ClientInstrumentation {
    private static final String CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";
    private static final String URL = "Ljava/net/URL;";
    private static final String PROXY = "Ljava/net/Proxy;";
    private static final String HEADERS = "Lsun/net/www/MessageHeader;";

    @Override
    public String client() {
        return "java.net.HttpURLConnection";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in(CONNECTION, MethodMatcher.constructor().takes(URL).takes(PROXY))
                        .atEntry(Call.to(ProxyForcing.class, "proxyForUrl", "(" + URL + PROXY + ")" + PROXY,
                                argument(URL), argument(PROXY)).storeArgument(PROXY)),
                MethodHook.in(CONNECTION, MethodMatcher.named("setPreemptiveProxyAuthentication").takes(HEADERS).returns("V"))
                        .beforeReturn(Call.to(ProxyForcing.class, "addIdentity", "(" + HEADERS + "Lsun/net/www/http/HttpClient;)V",
                                argument(HEADERS), field("http", "Lsun/net/www/http/HttpClient;"))));
    }
}
