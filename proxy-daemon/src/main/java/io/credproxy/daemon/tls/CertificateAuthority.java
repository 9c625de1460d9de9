package io.credproxy.daemon.tls;

import io.credproxy.daemon.config.ConfigException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The interception CA: loaded from {@code ca_dir}, or created there on first start.
 *
 * <p>Files: {@code ca.pem} (certificate, 0644) and {@code ca-key.pem} (PKCS#8 private key, 0600,
 * directory 0700). Refuses a key file open to group or others.
 */
public final class CertificateAuthority {
    public static CertificateAuthority loadOrCreate(Path dir) throws ConfigException {
        throw new UnsupportedOperationException("TODO");
    }

    public X509Certificate certificate() {
        throw new UnsupportedOperationException("TODO");
    }

    PrivateKey privateKey() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The CA certificate in PEM, as served at {@code /ca.pem}. */
    public String certificatePem() {
        throw new UnsupportedOperationException("TODO");
    }
}
