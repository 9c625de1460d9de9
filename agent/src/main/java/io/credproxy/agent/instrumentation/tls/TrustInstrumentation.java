package io.credproxy.agent.instrumentation.tls;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.credproxy.agent.bootstrap.CaTrust;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.instrumentation.TypeAdvice;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509TrustManager;
import net.bytebuddy.asm.Advice;

/**
 * TLS: every client that uses the JVM's default trust also trusts the daemon's CA.
 *
 * <p>One place serves every client: the JDK's {@code X509TrustManagerImpl}, which
 * {@code SSLContext.getDefault()}, {@code SSLContext.init(.., null, ..)} (Apache's default) and
 * {@code TrustManagerFactory.init((KeyStore) null)} (OkHttp's default) all end up with. When it rejects
 * a server chain, {@link CaTrust} may overturn the rejection (see there for when). This works for trust
 * managers built before the agent attached too, since it changes the class, not the instances.
 * Suppressed: if the advice fails, the original rejection stands.
 */
public final class TrustInstrumentation implements ClientInstrumentation {
    private static final String TRUST_MANAGER = "sun.security.ssl.X509TrustManagerImpl";

    @Override
    public String client() {
        return "tls";
    }

    @Override
    public List<TypeAdvice> advice() {
        return List.of(
                TypeAdvice.optional(TRUST_MANAGER, named("checkServerTrusted")
                        .and(takesArguments(X509Certificate[].class, String.class, Socket.class)), SocketAdvice.class),
                TypeAdvice.optional(TRUST_MANAGER, named("checkServerTrusted")
                        .and(takesArguments(X509Certificate[].class, String.class, SSLEngine.class)), EngineAdvice.class),
                TypeAdvice.optional(TRUST_MANAGER, named("checkServerTrusted")
                        .and(takesArguments(X509Certificate[].class, String.class)), PlainAdvice.class));
    }

    static final class SocketAdvice {
        private SocketAdvice() {}

        @Advice.OnMethodExit(onThrowable = CertificateException.class, suppress = Throwable.class)
        static void exit(@Advice.This X509TrustManager self, @Advice.Argument(0) X509Certificate[] chain,
                @Advice.Argument(1) String authType, @Advice.Argument(2) Socket socket,
                @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (thrown instanceof CertificateException && CaTrust.acceptsInstead(self, chain, authType, socket)) {
                thrown = null;
            }
        }
    }

    static final class EngineAdvice {
        private EngineAdvice() {}

        @Advice.OnMethodExit(onThrowable = CertificateException.class, suppress = Throwable.class)
        static void exit(@Advice.This X509TrustManager self, @Advice.Argument(0) X509Certificate[] chain,
                @Advice.Argument(1) String authType, @Advice.Argument(2) SSLEngine engine,
                @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (thrown instanceof CertificateException && CaTrust.acceptsInstead(self, chain, authType, engine)) {
                thrown = null;
            }
        }
    }

    static final class PlainAdvice {
        private PlainAdvice() {}

        @Advice.OnMethodExit(onThrowable = CertificateException.class, suppress = Throwable.class)
        static void exit(@Advice.This X509TrustManager self, @Advice.Argument(0) X509Certificate[] chain,
                @Advice.Argument(1) String authType, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (thrown instanceof CertificateException && CaTrust.acceptsInstead(self, chain, authType)) {
                thrown = null;
            }
        }
    }
}
