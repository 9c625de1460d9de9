package io.credproxy.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeafCertificateFactoryTest {
    private static final CertificateAuthority CA = CertificateAuthority.ephemeral("test CA");
    private final LeafCertificateFactory factory = new LeafCertificateFactory(CA);

    @Test
    void mintsAServerLeafForTheHostSignedByTheCa() throws Exception {
        IssuedCertificate issued = factory.mint("api.cloudflare.com");
        X509Certificate leaf = issued.leaf();
        leaf.verify(CA.certificate().getPublicKey());
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, "api.cloudflare.com"));
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(leaf.getNotAfter().toInstant()).isBefore(Instant.now().plus(Duration.ofDays(91)));
        assertThat(issued.chain()).containsExactly(leaf, CA.certificate());
    }

    @Test
    void eachLeafHasItsOwnKeyNeverTheCas() {
        IssuedCertificate a = factory.mint("a.example");
        IssuedCertificate b = factory.mint("b.example");
        assertThat(a.leaf().getPublicKey()).isNotEqualTo(b.leaf().getPublicKey());
        assertThat(a.leaf().getPublicKey()).isNotEqualTo(CA.certificate().getPublicKey());
        assertThat(a.leaf().getSerialNumber()).isNotEqualTo(b.leaf().getSerialNumber());
    }

    @Test
    void ipLiteralsBecomeIpAddressNames() throws Exception {
        assertThat(factory.mint("127.0.0.1").leaf().getSubjectAlternativeNames()).containsExactly(List.of(7, "127.0.0.1"));
        assertThat(factory.mint("::1").leaf().getSubjectAlternativeNames().iterator().next().get(0)).isEqualTo(7);
    }
}
