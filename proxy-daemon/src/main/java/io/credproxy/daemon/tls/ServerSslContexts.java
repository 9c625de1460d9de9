package io.credproxy.daemon.tls;

import io.netty.handler.ssl.SslContext;

/** Server-side {@link SslContext}s for intercepted hosts, minted on first use, bounded LRU cache. */
public final class ServerSslContexts {
    public ServerSslContexts(LeafCertificateFactory factory, int maxHosts) {}

    /** The context presenting a leaf for {@code host}; thread-safe. */
    public SslContext forHost(String host) {
        throw new UnsupportedOperationException("TODO");
    }

    public int size() {
        return 0;
    }
}
