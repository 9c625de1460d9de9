package io.credproxy.agent.instrumentation.jdkhttp;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.credproxy.agent.bootstrap.ForcedProxySelector;
import io.credproxy.agent.bootstrap.ProxyForcing;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.instrumentation.TypeAdvice;
import java.net.ProxySelector;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * {@code java.net.http.HttpClient}, sync and async: the daemon as proxy whatever the builder was given
 * ({@code NO_PROXY}, a selector, none), and the app's identity on the CONNECT and on plain requests.
 *
 * <p>The client asks its selector once per request, in {@code HttpRequestImpl.retrieveProxy}; the
 * advice hands it the forced selector instead, so clients built before the agent attached are forced
 * too. {@code Http1Request.collectHeaders0} receives the request head holding only the request line;
 * the advice adds the header there, after the JDK's header filters (which drop a user-set Basic
 * {@code Proxy-Authorization} from CONNECTs). HTTP/2 requested through a proxy is negotiated inside the
 * tunnel; the daemon speaks HTTP/1.1 there, and the client falls back to it.
 */
public final class JdkHttpClientInstrumentation implements ClientInstrumentation {
    @Override
    public String client() {
        return "jdk-httpclient";
    }

    @Override
    public List<TypeAdvice> advice() {
        return List.of(
                TypeAdvice.optional("jdk.internal.net.http.HttpRequestImpl",
                        named("retrieveProxy").and(isStatic()).and(takesArguments(3))
                                .and(takesArgument(1, ProxySelector.class)), RetrieveProxyAdvice.class),
                TypeAdvice.optional("jdk.internal.net.http.Http1Request",
                        named("collectHeaders0").and(takesArguments(StringBuilder.class)), IdentityAdvice.class));
    }

    static final class RetrieveProxyAdvice {
        private RetrieveProxyAdvice() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(value = 1, readOnly = false) ProxySelector selector) {
            selector = ForcedProxySelector.wrap(selector);
        }
    }

    static final class IdentityAdvice {
        private IdentityAdvice() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) StringBuilder head) {
            String line = ProxyForcing.identityLineFor(head);
            if (line != null) {
                head.append(line);
            }
        }
    }
}
