package io.credproxy.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class ServerSslContextsTest {
    private static final CertificateAuthority CA = CertificateAuthority.ephemeral("test CA");
    private static final LeafCertificateFactory FACTORY = new LeafCertificateFactory(CA);

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

    @Test
    void presentsTheHostsLeafAndTheCaOverTls13() throws Exception {
        X509Certificate[] chain = handshake(new ServerSslContexts(FACTORY, 10).forHost("api.example.com"), "api.example.com", "TLSv1.3");
        assertThat(chain).hasSize(2);
        assertThat(chain[0].getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1)).containsExactly("api.example.com");
        assertThat(chain[1]).isEqualTo(CA.certificate());
    }

    @Test
    void presentsTheLeafOverTls12Too() throws Exception {
        X509Certificate[] chain = handshake(new ServerSslContexts(FACTORY, 10).forHost("api.example.com"), "api.example.com", "TLSv1.2");
        assertThat(chain[0].getSubjectX500Principal().getName()).contains("api.example.com");
    }

    @Test
    void theJdkEngineWhenAskedForPresentsTheSameLeaf() throws Exception {
        System.setProperty(TlsEngines.PROPERTY, "jdk");
        try {
            SslContext jdk = new ServerSslContexts(FACTORY, 10).forHost("api.example.com");
            assertThat(jdk.getClass().getSimpleName()).startsWith("Jdk");
            assertThat(handshake(jdk, "api.example.com", "TLSv1.3")[1]).isEqualTo(CA.certificate());
        } finally {
            System.clearProperty(TlsEngines.PROPERTY);
        }
    }

    @Test
    void aClientCheckingTheNameRefusesAnotherHostsLeaf() {
        SslContext other = new ServerSslContexts(FACTORY, 10).forHost("other.example.com");
        assertThatThrownBy(() -> handshake(other, "api.example.com", "TLSv1.3")).isInstanceOf(SSLException.class);
    }

    /** Runs a TLS handshake in memory between the context and a JDK client that trusts only the CA. */
    private static X509Certificate[] handshake(SslContext serverContext, String host, String protocol) throws Exception {
        SSLEngine server = serverContext.newEngine(ByteBufAllocator.DEFAULT);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CA.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);
        SSLEngine client = clientContext.createSSLEngine(host, 443);
        client.setUseClientMode(true);
        SSLParameters params = client.getSSLParameters();
        params.setProtocols(new String[] {protocol});
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setServerNames(List.of(new SNIHostName(host)));
        client.setSSLParameters(params);

        TlsHandshake.run(client, server);
        assertThat(client.getSession().getProtocol()).isEqualTo(protocol);
        return (X509Certificate[]) client.getSession().getPeerCertificates();
    }
}
