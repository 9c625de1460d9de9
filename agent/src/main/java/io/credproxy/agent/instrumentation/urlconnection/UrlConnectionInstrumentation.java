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
 * <p>Every HTTP(S) connection object is built by the constructor
 * {@code sun.net.www.protocol.http.HttpURLConnection(URL, Proxy, Handler)} (the HTTPS one through its
 * delegate); replacing the proxy argument there makes the connection skip the {@code ProxySelector}
 * and the application's {@code Proxy.NO_PROXY}. The JDK calls {@code setPreemptiveProxyAuthentication}
 * exactly for the CONNECT and for plain requests sent to a proxy, which is where the
 * {@code Proxy-Authorization} header belongs.
 */
public final class UrlConnectionInstrumentation implements ClientInstrumentation {
    private static final String CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";

    @Override
    public String client() {
        return "java.net.HttpURLConnection";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in(CONNECTION, MethodMatcher.exactly("<init>",
                                "(Ljava/net/URL;Ljava/net/Proxy;Lsun/net/www/protocol/http/Handler;)V"))
                        .atEntry(Call.to(ProxyForcing.class, "proxyForUrl",
                                "(Ljava/net/URL;Ljava/net/Proxy;)Ljava/net/Proxy;", argument(0), argument(1))
                                .storeArgument(1)),
                MethodHook.in(CONNECTION, MethodMatcher.exactly("setPreemptiveProxyAuthentication", "(Lsun/net/www/MessageHeader;)V"))
                        .beforeReturn(Call.to(ProxyForcing.class, "addIdentity",
                                "(Lsun/net/www/MessageHeader;Lsun/net/www/http/HttpClient;)V",
                                argument(0), field("http", "Lsun/net/www/http/HttpClient;"))));
    }
}
