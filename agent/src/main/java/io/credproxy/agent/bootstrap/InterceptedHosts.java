package io.credproxy.agent.bootstrap;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hosts whose TLS chain ended at the daemon's CA in this JVM: the daemon intercepts them, so
 * certificate pinning, which can never match a certificate the daemon minted, is lifted for them and
 * for no other host.
 */
public final class InterceptedHosts {
    /** A bound on what an application can make the agent remember. */
    private static final int MAX_HOSTS = 10_000;
    private static final Set<String> HOSTS = ConcurrentHashMap.newKeySet();

    private InterceptedHosts() {}

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
        return host != null && HOSTS.contains(DirectRule.normalize(host));
    }

    static void remember(String host) {
        if (host != null && HOSTS.size() < MAX_HOSTS) {
            HOSTS.add(DirectRule.normalize(host));
        }
    }
}
