package io.credproxy.agent.instrumentation.okhttp;

import static io.credproxy.agent.weave.Load.argument;

import io.credproxy.agent.bootstrap.CaTrust;
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
 * for connections being reused; its constructor is the one place to set the proxy. Both the CONNECT
 * and plain requests are written by {@code Http1ExchangeCodec.writeRequest(headers, requestLine)}.
 *
 * <p>Pinning: a pin cannot match a certificate the daemon minted, so a {@code CertificatePinner} on an
 * intercepted host would fail every call. The check is skipped only for hosts whose TLS chain ended at
 * the daemon's CA during this JVM's life ({@link CaTrust#wasIntercepted}); for a host the daemon merely
 * tunnels, the server's real certificate arrives and the pins are checked as usual.
 */
public final class OkHttpInstrumentation implements ClientInstrumentation {
    /** {@code Address(host, port, dns, socketFactory, sslSocketFactory, hostnameVerifier, pinner, authenticator, proxy, protocols, specs, selector)}. */
    private static final String ADDRESS = "(Ljava/lang/String;ILokhttp3/Dns;Ljavax/net/SocketFactory;"
            + "Ljavax/net/ssl/SSLSocketFactory;Ljavax/net/ssl/HostnameVerifier;Lokhttp3/CertificatePinner;"
            + "Lokhttp3/Authenticator;Ljava/net/Proxy;Ljava/util/List;Ljava/util/List;Ljava/net/ProxySelector;)V";

    @Override
    public String client() {
        return "okhttp";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in("okhttp3.Address", MethodMatcher.exactly("<init>", ADDRESS))
                        .atEntry(Call.to(ProxyForcing.class, "okHttpProxy",
                                "(Ljava/lang/String;ILjavax/net/ssl/SSLSocketFactory;Ljava/net/Proxy;)Ljava/net/Proxy;",
                                argument(0), argument(1), argument(4), argument(8)).storeArgument(8)),
                MethodHook.in("okhttp3.internal.http1.Http1ExchangeCodec",
                                MethodMatcher.exactly("writeRequest", "(Lokhttp3/Headers;Ljava/lang/String;)V"))
                        .atEntry(Call.to(OkHttpHooks.class, "withIdentity",
                                "(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;", argument(0), argument(1))
                                .storeArgument(0)),
                MethodHook.in("okhttp3.CertificatePinner",
                                MethodMatcher.exactly("check$okhttp", "(Ljava/lang/String;Lkotlin/jvm/functions/Function0;)V"))
                        .atEntry(Call.to(CaTrust.class, "skipsPinning", "(Ljava/lang/String;)Z", argument(0)).returnIfTrue()));
    }
}
