package io.credproxy.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.testing.TestPki;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamTrustTest {
    @TempDir
    Path dir;

    @Test
    void trustsSystemRootsPlusExtraCas() throws Exception {
        TestPki pki = TestPki.create("extra CA", List.of("upstream.test"));
        Path pem = pki.writeCaPem(dir.resolve("extra.pem"));
        KeyStore withExtra = UpstreamTrust.trustStore(List.of(pem.toString()));
        KeyStore systemOnly = UpstreamTrust.trustStore(List.of());
        assertThat(withExtra.size()).isEqualTo(systemOnly.size() + 1);
        assertThat(Collections.list(withExtra.aliases()).stream().map(a -> {
            try {
                return withExtra.getCertificate(a);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).contains(pki.caCertificate());
        assertThat(UpstreamTrust.clientContext(List.of(pem.toString())).isClient()).isTrue();
    }

    @Test
    void badExtraCaFilesAreClearErrors() throws Exception {
        assertThatThrownBy(() -> UpstreamTrust.clientContext(List.of(dir.resolve("missing.pem").toString())))
                .hasMessageContaining("does not exist");
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        assertThatThrownBy(() -> UpstreamTrust.clientContext(List.of(junk.toString())))
                .hasMessageContaining("is not a PEM certificate file");
    }

    // Whichever engine TlsEngines picks (BoringSSL here when it loads, or the JDK's), the upstream
    // must chain to a trusted CA and carry the destination's name.

    @ParameterizedTest
    @ValueSource(strings = {"auto", "jdk"})
    void aTrustedUpstreamWithTheRightNameIsAccepted(String engine) throws Exception {
        TestPki pki = TestPki.create("extra CA", List.of("upstream.test"));
        SSLSession session = handshakeWith(engine, pki, pki.writeCaPem(dir.resolve("ca.pem")), "upstream.test");
        assertThat(session.getPeerCertificates()[0]).isEqualTo(pki.serverCertificate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "jdk"})
    void anUpstreamCertificateForAnotherNameIsRefused(String engine) throws Exception {
        TestPki pki = TestPki.create("extra CA", List.of("upstream.test"));
        Path ca = pki.writeCaPem(dir.resolve("ca.pem"));
        assertThatThrownBy(() -> handshakeWith(engine, pki, ca, "other.test")).isInstanceOf(SSLException.class)
                .hasStackTraceContaining("No subject alternative DNS name matching other.test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "jdk"})
    void anUpstreamFromAnUntrustedCaIsRefused(String engine) throws Exception {
        TestPki upstream = TestPki.create("unknown CA", List.of("upstream.test"));
        Path otherCa = TestPki.create("extra CA", List.of("upstream.test")).writeCaPem(dir.resolve("other.pem"));
        assertThatThrownBy(() -> handshakeWith(engine, upstream, otherCa, "upstream.test")).isInstanceOf(SSLException.class)
                .hasStackTraceContaining("PKIX path building failed");
    }

    @Test
    void theNativeEngineIsUsedWhereItLoads() throws Exception {
        Path ca = TestPki.create("extra CA", List.of("upstream.test")).writeCaPem(dir.resolve("ca.pem"));
        SslContext context = UpstreamTrust.clientContext(List.of(ca.toString()));
        boolean nativeEngine = SslProvider.isAlpnSupported(SslProvider.OPENSSL);
        assertThat(TlsEngines.provider()).isEqualTo(nativeEngine ? SslProvider.OPENSSL : SslProvider.JDK);
        assertThat(context.getClass().getSimpleName()).startsWith(nativeEngine ? "OpenSsl" : "Jdk");
    }

    /** The daemon's upstream context as a client of {@code server}'s certificate, connecting to {@code host}. */
    private static SSLSession handshakeWith(String engine, TestPki server, Path trustedCa, String host) throws Exception {
        System.setProperty(TlsEngines.PROPERTY, engine);
        try {
            SslContext context = UpstreamTrust.clientContext(List.of(trustedCa.toString()));
            SSLEngine client = context.newEngine(ByteBufAllocator.DEFAULT, host, 443);
            SSLEngine upstream = server.serverContext().createSSLEngine();
            upstream.setUseClientMode(false);
            return TlsHandshake.run(client, upstream);
        } finally {
            System.clearProperty(TlsEngines.PROPERTY);
        }
    }
}
