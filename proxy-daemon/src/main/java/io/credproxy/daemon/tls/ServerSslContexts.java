package io.credproxy.daemon.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Server-side {@link SslContext}s for intercepted hosts: minted on first use, kept in a bounded
 * LRU cache.
 *
 * <p>ALPN offers {@code h2} and {@code http/1.1} ({@link TlsEngines#interceptingServer}); what the client picks
 * decides the decrypted side's codec (see {@code server.ClientProtocolHandler}). An entry is minted again
 * when its leaf is within a day of expiry, so a long-running daemon never serves an expired leaf.
 *
 * <p>{@link #forHost} mints on the calling thread (a millisecond or two, tens under load): the
 * daemon's event loops never call it on a miss, they go through {@link LeafMinter}, which mints on a
 * thread of its own.
 */
public final class ServerSslContexts {
    private static final Duration RENEW_BEFORE = Duration.ofDays(1);

    private record Entry(SslContext context, Instant notAfter) {}

    private final LeafIssuer issuer;
    private final int maxHosts;
    private final Map<String, Entry> cache;
    private long minted;

    public ServerSslContexts(LeafIssuer issuer, int maxHosts) {
        if (maxHosts < 1) {
            throw new IllegalArgumentException("maxHosts must be positive");
        }
        this.issuer = issuer;
        this.maxHosts = maxHosts;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            // Qualified: inside a LinkedHashMap subclass a bare "Entry" can mean LinkedHashMap.Entry (javac 25 reads it so).
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ServerSslContexts.Entry> eldest) {
                return size() > ServerSslContexts.this.maxHosts;
            }
        };
    }

    /**
     * The context presenting a leaf for {@code host} (normalized), minted on this thread when none is
     * cached or the cached leaf is due for renewal; thread-safe.
     *
     * @throws RuntimeException when the mint fails; nothing is cached then
     */
    public SslContext forHost(String host) {
        SslContext cached = cached(host);
        if (cached != null) {
            return cached;
        }
        // Mint outside the lock: two threads racing on one new host both mint, one wins; harmless.
        IssuedCertificate issued = issuer.mint(host);
        Entry entry = new Entry(build(issued), issued.leaf().getNotAfter().toInstant());
        synchronized (cache) {
            cache.put(host, entry);
            minted++;
        }
        return entry.context();
    }

    /** The cached context for {@code host} if its leaf is not due for renewal, else {@code null}; never mints. */
    public SslContext cached(String host) {
        Instant now = Instant.now();
        synchronized (cache) {
            Entry entry = cache.get(host);
            return entry != null && entry.notAfter().isAfter(now.plus(RENEW_BEFORE)) ? entry.context() : null;
        }
    }

    /**
     * Trusts no client certificate. Clients are never asked for one (no client auth), but without a
     * trust manager Netty loads the JDK's whole root store into every new BoringSSL context to name
     * acceptable client CAs: about 10 ms per new host, for a list no client is ever sent.
     */
    private static final TrustManagerFactory NO_CLIENT_CERTIFICATES = emptyTrust();

    private static TrustManagerFactory emptyTrust() {
        try {
            KeyStore none = KeyStore.getInstance(KeyStore.getDefaultType());
            none.load(null, null);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(none);
            return tmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create an empty trust store", e);
        }
    }

    private static SslContext build(IssuedCertificate issued) {
        try {
            // The key manager takes the key directly: no key store, no password hashing (see LeafKeyManager).
            return TlsEngines.interceptingServer(SslContextBuilder.forServer(new LeafKeyManager(issued)))
                    .trustManager(NO_CLIENT_CERTIFICATES)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a server TLS context", e);
        }
    }

    /** Hosts currently cached. */
    public int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    /** Leaves minted since start (cache misses), for metrics. */
    public long minted() {
        synchronized (cache) {
            return minted;
        }
    }
}
