package io.credproxy.daemon.tls;

/**
 * Mints a leaf certificate for one intercepted host: {@link LeafCertificateFactory} in the daemon.
 *
 * <p>An interface so that {@link ServerSslContexts} and {@link LeafMinter} can be driven by a
 * double in tests (a mint that is slow, counts its calls, or throws), which a real CA cannot be
 * made to do on demand.
 */
@FunctionalInterface
public interface LeafIssuer {
    /**
     * A fresh key and certificate whose subject alternative name is {@code host}.
     *
     * @throws RuntimeException when it cannot (the CA's key refuses to sign, say); the caller fails
     *     that one handshake and caches nothing
     */
    IssuedCertificate mint(String host);
}
