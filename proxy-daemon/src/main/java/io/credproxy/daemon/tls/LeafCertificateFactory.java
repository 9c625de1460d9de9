package io.credproxy.daemon.tls;

/** Mints ECDSA P-256 leaf certificates for intercepted hosts, signed by the CA. */
public final class LeafCertificateFactory {
    public LeafCertificateFactory(CertificateAuthority ca) {}

    /** A fresh key and certificate whose SAN is {@code host} (DNS name or IP address). */
    public IssuedCertificate mint(String host) {
        throw new UnsupportedOperationException("TODO");
    }
}
