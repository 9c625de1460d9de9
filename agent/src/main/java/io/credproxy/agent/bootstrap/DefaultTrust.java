package io.credproxy.agent.bootstrap;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Tells a trust manager holding exactly the JVM's default roots ({@code cacerts}, or
 * {@code javax.net.ssl.trustStore} when set) from one an application built from its own key store:
 * only the first may be told to trust the daemon's CA as well.
 */
final class DefaultTrust {
    private static final Map<Object, Boolean> KNOWN = Collections.synchronizedMap(new WeakHashMap<>());
    private static volatile Set<X509Certificate> defaultRoots;

    private DefaultTrust() {}

    /** Whether {@code trust} holds exactly the JVM's default roots; cached per trust manager. */
    static boolean isDefault(X509TrustManager trust) {
        Boolean known = KNOWN.get(trust);
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
        KNOWN.put(trust, isDefault);
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
}
