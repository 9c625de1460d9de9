package io.credproxy.daemon.tls;

import io.credproxy.daemon.config.ConfigException;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The client-side {@link SslContext} for connections to upstreams: the JDK's default trust store
 * plus {@code upstream.extra_ca}, with hostname verification on (never trust-all).
 *
 * <p>The two sources are merged into one key store so that one standard PKIX trust manager does
 * the checking, rather than a hand-written composite, whichever engine {@link TlsEngines} picks.
 * Callers must create handlers with
 * {@code newHandler(alloc, host, port)} so that SNI is sent and the certificate's name is checked
 * against {@code host} (the real destination, also when {@code upstream.resolve} changed the
 * address).
 */
public final class UpstreamTrust {
    private UpstreamTrust() {}

    /** The context of upstream connections: ALPN {@code h2, http/1.1}. */
    public static SslContext clientContext(List<String> extraCaFiles) throws ConfigException {
        return clientContexts(extraCaFiles).negotiated();
    }

    /**
     * Both upstream contexts, one trust: ALPN {@code h2, http/1.1} for requests, and {@code http/1.1}
     * alone for a WebSocket handshake, which needs a connection it can take over after {@code 101}.
     */
    public static UpstreamTls clientContexts(List<String> extraCaFiles) throws ConfigException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore(extraCaFiles));
            return new UpstreamTls(client(tmf, ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1),
                    client(tmf, ApplicationProtocolNames.HTTP_1_1));
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("cannot build the upstream TLS trust: " + e.getMessage());
        }
    }

    private static SslContext client(TrustManagerFactory tmf, String... protocols) throws SSLException {
        return TlsEngines.http(SslContextBuilder.forClient(), protocols)
                .trustManager(tmf)
                .endpointIdentificationAlgorithm("HTTPS")
                .build();
    }

    static KeyStore trustStore(List<String> extraCaFiles) throws ConfigException, GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (X509Certificate cert : systemRoots()) {
            store.setCertificateEntry("system-" + i++, cert);
        }
        for (String file : extraCaFiles) {
            int j = 0;
            for (X509Certificate cert : readPem(Path.of(file))) {
                store.setCertificateEntry("extra-" + file + "-" + j++, cert);
            }
        }
        return store;
    }

    private static List<X509Certificate> systemRoots() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        List<X509Certificate> roots = new ArrayList<>();
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                roots.addAll(List.of(x509.getAcceptedIssuers()));
            }
        }
        return roots;
    }

    static List<X509Certificate> readPem(Path file) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : certs) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new ConfigException("upstream.extra_ca: " + file + " holds no certificate");
            }
            return out;
        } catch (NoSuchFileException e) {
            throw new ConfigException("upstream.extra_ca: " + file + " does not exist");
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("upstream.extra_ca: " + file + " is not a PEM certificate file");
        }
    }
}
