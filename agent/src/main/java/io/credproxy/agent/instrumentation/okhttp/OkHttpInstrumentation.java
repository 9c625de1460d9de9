package io.credproxy.agent.instrumentation.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.credproxy.agent.bootstrap.CaTrust;
import io.credproxy.agent.bootstrap.ProxyForcing;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.instrumentation.TypeAdvice;
import java.net.Proxy;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import net.bytebuddy.asm.Advice;
import okhttp3.Headers;

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
    @Override
    public String client() {
        return "okhttp";
    }

    @Override
    public List<TypeAdvice> advice() {
        return List.of(
                TypeAdvice.optional("okhttp3.Address", isConstructor().and(takesArguments(12))
                        .and(takesArgument(0, String.class)).and(takesArgument(8, Proxy.class)), AddressAdvice.class),
                TypeAdvice.optional("okhttp3.internal.http1.Http1ExchangeCodec",
                        named("writeRequest").and(takesArguments(2)).and(takesArgument(1, String.class)),
                        IdentityAdvice.class),
                TypeAdvice.optional("okhttp3.CertificatePinner",
                        named("check$okhttp").and(takesArguments(2)).and(takesArgument(0, String.class)),
                        PinnerAdvice.class));
    }

    /** Suppressed: should it fail, the socket layer still tunnels or blocks the direct connection. */
    static final class AddressAdvice {
        private AddressAdvice() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) String host, @Advice.Argument(1) int port,
                @Advice.Argument(4) SSLSocketFactory tls, @Advice.Argument(value = 8, readOnly = false) Proxy proxy) {
            Proxy forced = ProxyForcing.httpProxyFor(host, port, tls != null ? "https" : "http");
            if (forced != null) {
                proxy = forced;
            }
        }
    }

    static final class IdentityAdvice {
        private IdentityAdvice() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(value = 0, readOnly = false) Headers headers, @Advice.Argument(1) String requestLine) {
            String value = ProxyForcing.identityForRequestLine(requestLine);
            if (value != null) {
                headers = headers.newBuilder().set("Proxy-Authorization", value).build();
            }
        }
    }

    static final class PinnerAdvice {
        private PinnerAdvice() {}

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static boolean enter(@Advice.Argument(0) String host) {
            return CaTrust.wasIntercepted(host);
        }
    }
}
