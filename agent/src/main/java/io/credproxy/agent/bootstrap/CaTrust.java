package io.credproxy.agent.bootstrap;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Makes the JDK's default trust accept the daemon's CA as well, without touching {@code cacerts}.
 *
 * <p>Called from the hook on the JDK's {@code X509TrustManagerImpl.checkServerTrusted} when it has just
 * rejected a chain. The rejection is overturned only when (1) that trust manager holds exactly the
 * JVM's default roots ({@link DefaultTrust}), and (2) a trust manager holding only the daemon's CA
 * accepts the chain, with the same hostname check. A trust manager the application built from its own
 * key store is left alone: it fails with a TLS error, as the contract says, and the connection never
 * goes anywhere else. Each accepted host is remembered in {@link InterceptedHosts}.
 */
public final class CaTrust {
    private static volatile Supplier<X509Certificate> source;
    private static volatile X509Certificate ca;
    private static volatile X509ExtendedTrustManager caOnly;
    private static final ThreadLocal<Boolean> CHECKING = new ThreadLocal<>();

    private CaTrust() {}

    /**
     * Sets where the daemon's CA certificate comes from. The supplier is asked when a chain needs
     * it and may return {@code null} (not available yet: the daemon is down); it is asked again later.
     */
    public static void install(Supplier<X509Certificate> caSource) {
        source = caSource;
        ca = null;
        caOnly = null;
    }

    /**
     * Hook on {@code X509TrustManagerImpl.checkServerTrusted(chain, authType[, socket | engine])}
     * throwing {@code rejection}: returns (the chain is accepted) when {@link #acceptsInstead} says so,
     * else throws {@code rejection} again. If anything here fails, the rejection stands.
     *
     * @param socket the method's {@code Socket}, or {@code null} when it has none
     * @param engine the method's {@code SSLEngine}, or {@code null} when it has none
     */
    public static void rethrowUnlessAccepted(CertificateException rejection, X509TrustManager rejecting,
            X509Certificate[] chain, String authType, Socket socket, SSLEngine engine) throws CertificateException {
        boolean accepted;
        try {
            accepted = acceptsInstead(rejecting, chain, authType, socket, engine);
        } catch (Throwable e) {
            accepted = false;
        }
        if (!accepted) {
            throw rejection;
        }
    }

    /**
     * Whether the rejected {@code chain} is the daemon's, for a default trust manager: checked by the
     * CA-only trust manager with the caller's {@code socket} or {@code engine} (its hostname check),
     * or with neither when the caller checks the host name itself afterwards.
     */
    static boolean acceptsInstead(X509TrustManager rejecting, X509Certificate[] chain, String authType, Socket socket,
            SSLEngine engine) {
        X509ExtendedTrustManager trust = fallbackFor(rejecting, chain);
        if (trust == null) {
            return false;
        }
        CHECKING.set(Boolean.TRUE);
        try {
            if (socket != null) {
                trust.checkServerTrusted(chain, authType, socket);
            } else if (engine != null) {
                trust.checkServerTrusted(chain, authType, engine);
            } else {
                trust.checkServerTrusted(chain, authType);
                return true; // no peer to remember: the caller names the host later
            }
        } catch (CertificateException | RuntimeException e) {
            return false;
        } finally {
            CHECKING.remove();
        }
        InterceptedHosts.remember(socket != null ? peerHost(socket) : engine.getPeerHost());
        return true;
    }

    private static String peerHost(Socket socket) {
        if (socket instanceof SSLSocket) {
            SSLSession session = ((SSLSocket) socket).getHandshakeSession();
            return session == null ? null : session.getPeerHost();
        }
        return null;
    }

    /** The CA-only trust manager when it applies to this rejection, else {@code null}. */
    private static X509ExtendedTrustManager fallbackFor(X509TrustManager rejecting, X509Certificate[] chain) {
        if (CHECKING.get() != null || chain == null || chain.length == 0 || AgentContext.policy() == null) {
            return null;
        }
        X509ExtendedTrustManager trust = caTrustManager();
        if (trust == null) {
            return null;
        }
        // Cheap filter first: the daemon's leaves are issued by its CA directly.
        if (!chain[0].getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return null;
        }
        return DefaultTrust.isDefault(rejecting) ? trust : null;
    }

    private static X509ExtendedTrustManager caTrustManager() {
        X509ExtendedTrustManager trust = caOnly;
        if (trust != null) {
            return trust;
        }
        Supplier<X509Certificate> from = source;
        X509Certificate certificate = from == null ? null : from.get();
        if (certificate == null) {
            return null;
        }
        synchronized (CaTrust.class) {
            if (caOnly == null) {
                try {
                    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                    store.load(null, null);
                    store.setCertificateEntry("credproxy-ca", certificate);
                    ca = certificate;
                    caOnly = firstExtended(store);
                } catch (GeneralSecurityException | IOException e) {
                    return null;
                }
            }
            return caOnly;
        }
    }

    private static X509ExtendedTrustManager firstExtended(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager) {
                return (X509ExtendedTrustManager) manager;
            }
        }
        throw new GeneralSecurityException("no X509ExtendedTrustManager for the daemon's CA");
    }
}
