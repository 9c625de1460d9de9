package io.credproxy.agent.bootstrap;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Called from advice on the JDK's {@code X509TrustManagerImpl.checkServerTrusted} when it has just
 * rejected a chain. The rejection is overturned only when (1) that trust manager holds exactly the
 * JVM's default roots ({@code cacerts}, or {@code javax.net.ssl.trustStore} when set), and (2) a
 * trust manager holding only the daemon's CA accepts the chain, with the same hostname check. A
 * trust manager the application built from its own key store is left alone: it fails with a TLS
 * error, as the contract says, and the connection never goes anywhere else.
 *
 * <p>It also remembers which hosts were intercepted (their chain ended at the daemon's CA), so that
 * certificate pinning can be lifted for exactly those hosts and no others.
 */
public final class CaTrust {
    private static final int MAX_INTERCEPTED_HOSTS = 10_000;

    private static volatile Supplier<X509Certificate> source;
    private static volatile X509Certificate ca;
    private static volatile X509ExtendedTrustManager caOnly;
    private static volatile Set<X509Certificate> defaultRoots;
    private static final Map<Object, Boolean> DEFAULT_TRUST = Collections.synchronizedMap(new WeakHashMap<>());
    private static final Set<String> INTERCEPTED = ConcurrentHashMap.newKeySet();
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

    /** Whether the rejected {@code chain} is the daemon's, for a default trust manager (SSLSocket). */
    public static boolean acceptsInstead(X509TrustManager rejecting, X509Certificate[] chain, String authType, Socket socket) {
        X509ExtendedTrustManager trust = fallbackFor(rejecting, chain);
        if (trust == null) {
            return false;
        }
        CHECKING.set(Boolean.TRUE);
        try {
            trust.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException | RuntimeException e) {
            return false;
        } finally {
            CHECKING.remove();
        }
        if (socket instanceof SSLSocket) {
            SSLSession session = ((SSLSocket) socket).getHandshakeSession();
            rememberIntercepted(session == null ? null : session.getPeerHost());
        }
        return true;
    }

    /** As {@link #acceptsInstead(X509TrustManager, X509Certificate[], String, Socket)}, for SSLEngine clients. */
    public static boolean acceptsInstead(X509TrustManager rejecting, X509Certificate[] chain, String authType, SSLEngine engine) {
        X509ExtendedTrustManager trust = fallbackFor(rejecting, chain);
        if (trust == null) {
            return false;
        }
        CHECKING.set(Boolean.TRUE);
        try {
            trust.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException | RuntimeException e) {
            return false;
        } finally {
            CHECKING.remove();
        }
        rememberIntercepted(engine == null ? null : engine.getPeerHost());
        return true;
    }

    /** As above, for callers that check the host name themselves afterwards. */
    public static boolean acceptsInstead(X509TrustManager rejecting, X509Certificate[] chain, String authType) {
        X509ExtendedTrustManager trust = fallbackFor(rejecting, chain);
        if (trust == null) {
            return false;
        }
        CHECKING.set(Boolean.TRUE);
        try {
            trust.checkServerTrusted(chain, authType);
            return true;
        } catch (CertificateException | RuntimeException e) {
            return false;
        } finally {
            CHECKING.remove();
        }
    }

    /**
     * Hook on {@code X509TrustManagerImpl.checkServerTrusted(chain, authType, socket)} throwing
     * {@code rejection}: returns (the chain is accepted) when {@link #acceptsInstead} says so, else
     * throws {@code rejection} again. If anything here fails, the rejection stands.
     */
    public static void rethrowUnlessAccepted(CertificateException rejection, X509TrustManager rejecting,
            X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        boolean accepted;
        try {
            accepted = acceptsInstead(rejecting, chain, authType, socket);
        } catch (Throwable e) {
            accepted = false;
        }
        if (!accepted) {
            throw rejection;
        }
    }

    /** As above, for {@code checkServerTrusted(chain, authType, engine)}. */
    public static void rethrowUnlessAccepted(CertificateException rejection, X509TrustManager rejecting,
            X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        boolean accepted;
        try {
            accepted = acceptsInstead(rejecting, chain, authType, engine);
        } catch (Throwable e) {
            accepted = false;
        }
        if (!accepted) {
            throw rejection;
        }
    }

    /** As above, for {@code checkServerTrusted(chain, authType)}. */
    public static void rethrowUnlessAccepted(CertificateException rejection, X509TrustManager rejecting,
            X509Certificate[] chain, String authType) throws CertificateException {
        boolean accepted;
        try {
            accepted = acceptsInstead(rejecting, chain, authType);
        } catch (Throwable e) {
            accepted = false;
        }
        if (!accepted) {
            throw rejection;
        }
    }

    /**
     * Hook at the start of OkHttp's {@code CertificatePinner.check$okhttp(host, ..)}: {@code true} (skip
     * the pin check) only for a host whose chain ended at the daemon's CA in this JVM. Never throws.
     */
    public static boolean skipsPinning(String host) {
        try {
            return wasIntercepted(host);
        } catch (Throwable e) {
            return false;
        }
    }

    /** Whether a TLS connection to {@code host} was intercepted by the daemon (its chain ended at the CA). */
    public static boolean wasIntercepted(String host) {
        return host != null && INTERCEPTED.contains(DirectRule.normalize(host));
    }

    private static void rememberIntercepted(String host) {
        if (host != null && INTERCEPTED.size() < MAX_INTERCEPTED_HOSTS) {
            INTERCEPTED.add(DirectRule.normalize(host));
        }
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
        return isDefaultTrust(rejecting) ? trust : null;
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

    /** Whether {@code trust} holds exactly the JVM's default roots; cached per trust manager. */
    static boolean isDefaultTrust(X509TrustManager trust) {
        Boolean known = DEFAULT_TRUST.get(trust);
        if (known != null) {
            return known;
        }
        boolean isDefault;
        try {
            Set<X509Certificate> roots = defaultRoots();
            X509Certificate[] accepted = trust.getAcceptedIssuers();
            isDefault = accepted.length == roots.size() && roots.containsAll(Arrays.asList(accepted));
        } catch (GeneralSecurityException | RuntimeException e) {
            isDefault = false;
        }
        DEFAULT_TRUST.put(trust, isDefault);
        return isDefault;
    }

    private static Set<X509Certificate> defaultRoots() throws GeneralSecurityException {
        Set<X509Certificate> roots = defaultRoots;
        if (roots == null) {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            roots = new HashSet<>();
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager) {
                    roots.addAll(Arrays.asList(((X509TrustManager) manager).getAcceptedIssuers()));
                }
            }
            defaultRoots = roots;
        }
        return roots;
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
