package io.credproxy.agent.instrumentation.okhttp;

import static io.credproxy.agent.weave.Load.argument;

import io.credproxy.agent.bootstrap.InterceptedHosts;
import io.credproxy.agent.bootstrap.OkHttpHooks;
import io.credproxy.agent.bootstrap.ProxyForcing;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * OkHttp 4.x and 5.x: the daemon as proxy, the app's identity on what goes to it, and certificate
 * pinning lifted for intercepted hosts only.
 *
 * <p>OkHttp describes every destination with an {@code okhttp3.Address} (host, port, proxy, selector,
 * ...), built per call from the client, from an interceptor's {@code chain.withProxy(..)} (5.x), or
 * for connections being reused; its constructor is the one place to set the proxy. The hook needs its
 * host ({@code String}), port ({@code int}), {@code SSLSocketFactory} and {@code Proxy}, and finds
 * each by type, so a constructor that gains a parameter (4.x and 5.x differ only in generics today)
 * still matches. Both the CONNECT and plain requests are written by
 * {@code Http1ExchangeCodec.writeRequest(headers, requestLine)}.
 *
 * <p>Pinning: a pin cannot match a certificate the daemon minted, so a {@code CertificatePinner} on an
 * intercepted host would fail every call. The check is skipped only for hosts whose TLS chain ended at
 * the daemon's CA during this JVM's life ({@link InterceptedHosts#skipsPinning}); for a host the daemon
 * merely tunnels, the server's real certificate arrives and the pins are checked as usual.
 */
public final class OkHttpInstrumentation implements ClientInstrumentation {
    private static final String STRING = "Ljava/lang/String;";
    private static final String TLS = "Ljavax/net/ssl/SSLSocketFactory;";
    private static final String PROXY = "Ljava/net/Proxy;";
    private static final String HEADERS = "Lokhttp3/Headers;";

    @Override
    public String client() {
        return "okhttp";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in("okhttp3.Address", MethodMatcher.constructor().takes(STRING).takes("I").takes(TLS).takes(PROXY))
                        .atEntry(Call.to(ProxyForcing.class, "okHttpProxy", "(" + STRING + "I" + TLS + PROXY + ")" + PROXY,
                                argument(STRING), argument("I"), argument(TLS), argument(PROXY)).storeArgument(PROXY)),
                MethodHook.in("okhttp3.internal.http1.Http1ExchangeCodec",
                                MethodMatcher.named("writeRequest").takes(HEADERS).takes(STRING).returns("V"))
                        .atEntry(Call.to(OkHttpHooks.class, "withIdentity", "(Ljava/lang/Object;" + STRING + ")Ljava/lang/Object;",
                                argument(HEADERS), argument(STRING)).storeArgument(HEADERS)),
                MethodHook.in("okhttp3.CertificatePinner", MethodMatcher.named("check$okhttp").takes(STRING).returns("V"))
                        .atEntry(Call.to(InterceptedHosts.class, "skipsPinning", "(" + STRING + ")Z", argument(STRING)).returnIfTrue()));
    }
}
