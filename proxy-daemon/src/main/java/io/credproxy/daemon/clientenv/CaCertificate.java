package io.credproxy.daemon.clientenv;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;

/**
 * The daemon's CA certificate as {@code credproxy env} accepts it: exactly one X.509 certificate
 * that is a CA, re-encoded as PEM.
 *
 * <p>What the admin port (or a file) gives is parsed, never copied: whatever else the bytes held
 * does not reach a file that every client of the sandbox trusts.
 */
public final class CaCertificate {
    private final X509Certificate certificate;

    private CaCertificate(X509Certificate certificate) {
        this.certificate = certificate;
    }

    /**
     * Parses PEM or DER text that must hold one CA certificate.
     *
     * @param source where it came from, for the message
     * @throws IllegalArgumentException naming what is wrong
     */
    public static CaCertificate parse(byte[] bytes, String source) {
        Collection<? extends java.security.cert.Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        } catch (CertificateException | RuntimeException e) {
            throw new IllegalArgumentException(source + " is not a PEM certificate");
        }
        if (certificates.size() != 1 || !(certificates.iterator().next() instanceof X509Certificate x509)) {
            throw new IllegalArgumentException(source + " holds " + certificates.size() + " certificates; expected the daemon's CA alone");
        }
        if (x509.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(source + " is not a CA certificate (" + x509.getSubjectX500Principal().getName() + ")");
        }
        return new CaCertificate(x509);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate as PEM, 64 columns. */
    public String pem() {
        try {
            return pem(certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate encodes", e);
        }
    }

    static String pem(byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
    }
}
