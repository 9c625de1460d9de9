package io.credproxy.agent.instrumentation.tls;

import static io.credproxy.agent.weave.Load.argument;
import static io.credproxy.agent.weave.Load.argumentOrNull;
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
 * One hook serves the three overloads (chain and auth type, then a {@code Socket}, an
 * {@code SSLEngine} or nothing): the one the method lacks is passed as {@code null}.
 */
public final class TrustInstrumentation implements ClientInstrumentation {
    private static final String CHAIN = "[Ljava/security/cert/X509Certificate;";
    private static final String STRING = "Ljava/lang/String;";
    private static final String SOCKET = "Ljava/net/Socket;";
    private static final String ENGINE = "Ljavax/net/ssl/SSLEngine;";

    @Override
    public String client() {
        return "tls";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(MethodHook.in("sun.security.ssl.X509TrustManagerImpl",
                        MethodMatcher.named("checkServerTrusted").takes(CHAIN).takes(STRING).returns("V"))
                .onThrown("java/security/cert/CertificateException", Call.to(CaTrust.class, "rethrowUnlessAccepted",
                        "(Ljava/security/cert/CertificateException;Ljavax/net/ssl/X509TrustManager;" + CHAIN + STRING + SOCKET
                                + ENGINE + ")V",
                        self(), argument(CHAIN), argument(STRING), argumentOrNull(SOCKET), argumentOrNull(ENGINE))));
    }
}
