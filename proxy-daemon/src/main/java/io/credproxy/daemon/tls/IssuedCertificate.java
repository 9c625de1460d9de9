package io.credproxy.daemon.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A leaf certificate with its private key and chain (leaf first, then the CA). */
public record IssuedCertificate(PrivateKey key, X509Certificate leaf, X509Certificate issuer) {
    public X509Certificate[] chain() {
        return new X509Certificate[] {leaf, issuer};
    }
}
