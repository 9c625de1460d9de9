package io.credproxy.agent.instrumentation.urlconnection;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.credproxy.agent.bootstrap.ProxyForcing;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.instrumentation.TypeAdvice;
import java.net.Proxy;
import java.net.URL;
import java.util.List;
import net.bytebuddy.asm.Advice;
import sun.net.www.MessageHeader;
import sun.net.www.http.HttpClient;

/**
 * {@code HttpURLConnection} and {@code HttpsURLConnection}: the daemon as the connection's proxy,
 * whatever {@code openConnection(Proxy)} was given, and the app's identity on every request to it.
 *
 * <p>Every HTTP(S) connection object is built by the constructor
 * {@code sun.net.www.protocol.http.HttpURLConnection(URL, Proxy, Handler)} (the HTTPS one through its
 * delegate); setting the proxy there makes the connection skip the {@code ProxySelector} and the
 * application's {@code Proxy.NO_PROXY}. The JDK calls {@code setPreemptiveProxyAuthentication} exactly
 * for the CONNECT and for plain requests sent to a proxy, which is where the
 * {@code Proxy-Authorization} header belongs.
 */
public final class UrlConnectionInstrumentation implements ClientInstrumentation {
    private static final String CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";

    @Override
    public String client() {
        return "java.net.HttpURLConnection";
    }

    @Override
    public List<TypeAdvice> advice() {
        return List.of(
                TypeAdvice.optional(CONNECTION, isConstructor().and(takesArguments(3))
                        .and(takesArgument(0, URL.class)).and(takesArgument(1, Proxy.class)), ConstructorAdvice.class),
                TypeAdvice.optional(CONNECTION, named("setPreemptiveProxyAuthentication").and(takesArguments(1)),
                        IdentityAdvice.class));
    }

    /** Suppressed: should it fail, the socket layer still tunnels or blocks the direct connection. */
    static final class ConstructorAdvice {
        private ConstructorAdvice() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) URL url, @Advice.Argument(value = 1, readOnly = false) Proxy proxy) {
            proxy = ProxyForcing.proxyForUrl(url, proxy);
        }
    }

    static final class IdentityAdvice {
        private IdentityAdvice() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) MessageHeader requests, @Advice.FieldValue("http") HttpClient http) {
            if (http != null) {
                String value = ProxyForcing.identityForProxy(http.getProxyHostUsed(), http.getProxyPortUsed());
                if (value != null) {
                    requests.set("Proxy-Authorization", value);
                }
            }
        }
    }
}
