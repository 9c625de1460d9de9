package io.credproxy.agent.instrumentation.tls;

import static io.credproxy.agent.weave.Load.argument;
import static io.credproxy.agent.weave.Load.self;

import io.credproxy.agent.bootstrap.CaTrust;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * TLS: every client that uses the JVM's default trust also trusts the daemon's CA.
 *
 * <p>One place serves every client: the JDK's {@code X509TrustManagerImpl}, which
 * {@code SSLContext.getDefault()}, {@code SSLContext.init(.., null, ..)} (Apache's default) and
 * {@code TrustManagerFactory.init((KeyStore) null)} (OkHttp's default) all end up with. When one of its
 * {@code checkServerTrusted} methods throws a {@code CertificateException}, {@link CaTrust} may
 * overturn the rejection (see there for when); otherwise it is thrown again, unchanged. This works for
 * trust managers built before the agent attached too, since it changes the class, not the instances.
 */
public final class TrustInstrumentation implements ClientInstrumentation {
    private static final String TRUST_MANAGER = "sun.security.ssl.X509TrustManagerImpl";
    private static final String REJECTION = "java/security/cert/CertificateException";
    private static final String CHAIN = "[Ljava/security/cert/X509Certificate;Ljava/lang/String;";
    private static final String HOOK_PREFIX = "(Ljava/security/cert/CertificateException;Ljavax/net/ssl/X509TrustManager;" + CHAIN;

    @Override
    public String client() {
        return "tls";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                hook("Ljava/net/Socket;"),
                hook("Ljavax/net/ssl/SSLEngine;"),
                hook(""));
    }

    /** The hook on {@code checkServerTrusted(chain, authType[, last])}. */
    private static MethodHook hook(String last) {
        Call call = last.isEmpty()
                ? Call.to(CaTrust.class, "rethrowUnlessAccepted", HOOK_PREFIX + ")V", self(), argument(0), argument(1))
                : Call.to(CaTrust.class, "rethrowUnlessAccepted", HOOK_PREFIX + last + ")V", self(), argument(0), argument(1), argument(2));
        return MethodHook.in(TRUST_MANAGER, MethodMatcher.exactly("checkServerTrusted", "(" + CHAIN + last + ")V"))
                .onThrown(REJECTION, call);
    }
}
