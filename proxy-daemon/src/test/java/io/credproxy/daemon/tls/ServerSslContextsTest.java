package io.credproxy.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;

class ServerSslContextsTest {
    private static final LeafCertificateFactory FACTORY = new LeafCertificateFactory(CertificateAuthority.ephemeral("test CA"));

    @Test
    void cachesPerHost() {
        ServerSslContexts contexts = new ServerSslContexts(FACTORY, 10);
        SslContext first = contexts.forHost("a.example");
        assertThat(contexts.forHost("a.example")).isSameAs(first);
        assertThat(contexts.forHost("b.example")).isNotSameAs(first);
        assertThat(contexts.minted()).isEqualTo(2);
    }

    @Test
    void boundsTheCacheAndEvictsTheLeastRecentlyUsed() {
        ServerSslContexts contexts = new ServerSslContexts(FACTORY, 2);
        SslContext a = contexts.forHost("a.example");
        contexts.forHost("b.example");
        contexts.forHost("a.example");
        contexts.forHost("c.example");
        assertThat(contexts.size()).isEqualTo(2);
        assertThat(contexts.forHost("a.example")).isSameAs(a);
        assertThat(contexts.minted()).isEqualTo(3);
        contexts.forHost("b.example");
        assertThat(contexts.minted()).isEqualTo(4);
    }
}
