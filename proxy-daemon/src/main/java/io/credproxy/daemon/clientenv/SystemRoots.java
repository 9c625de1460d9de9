package io.credproxy.daemon.clientenv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The system's trusted roots as one PEM text, for the CA bundle of clients that replace their roots.
 *
 * <p>The distribution's bundle first (what curl, git and OpenSSL trust on this machine without
 * credproxy), in the places Debian/Ubuntu, Fedora/RHEL and Alpine/macOS keep it; without one, the
 * JDK's own trust store, which every JVM here trusts.
 */
public final class SystemRoots {
    static final List<Path> KNOWN_BUNDLES = List.of(
            Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
            Path.of("/etc/ssl/cert.pem"));

    private SystemRoots() {}

    /** The PEM text of {@code file}, or of the first known bundle when {@code file} is null. */
    public static String read(Path file) throws IOException {
        if (file != null) {
            return Files.readString(file, StandardCharsets.US_ASCII);
        }
        for (Path known : KNOWN_BUNDLES) {
            if (Files.isReadable(known)) {
                return Files.readString(known, StandardCharsets.US_ASCII);
            }
        }
        return fromJdk();
    }

    private static String fromJdk() throws IOException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            StringBuilder out = new StringBuilder();
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    for (X509Certificate root : x509.getAcceptedIssuers()) {
                        out.append("# ").append(root.getSubjectX500Principal().getName()).append('\n')
                                .append(CaCertificate.pem(root.getEncoded()));
                    }
                }
            }
            return out.toString();
        } catch (GeneralSecurityException e) {
            throw new IOException("the JDK's trust store cannot be read", e);
        }
    }
}
