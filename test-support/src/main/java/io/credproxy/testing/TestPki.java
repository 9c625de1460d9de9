package io.credproxy.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for tests: a root CA made at test time and one server certificate covering the
 * given names (and 127.0.0.1 / ::1).
 *
 * <p>Nothing is ever committed: every run makes new keys. The CA's PEM is written where a test
 * needs a file (the daemon's {@code upstream.extra_ca}, curl's {@code --cacert}).
 */
public final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate caCertificate;
    private final SSLContext serverContext;
    private final KeyManagerFactory serverKeys;
    private final X509Certificate serverCertificate;

    private TestPki(X509Certificate caCertificate, X509Certificate serverCertificate, SSLContext serverContext,
            KeyManagerFactory serverKeys) {
        this.caCertificate = caCertificate;
        this.serverCertificate = serverCertificate;
        this.serverContext = serverContext;
        this.serverKeys = serverKeys;
    }

    /** A new CA named {@code caName} and a server certificate for {@code names} (DNS names). */
    public static TestPki create(String caName, List<String> names) {
        try {
            KeyPair caKeys = ecKeys();
            X500Name caSubject = new X500Name("CN=" + caName + ",O=credproxy tests");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caSubject, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), caSubject, caKeys.getPublic());
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate caCert = sign(ca, caKeys);

            KeyPair serverKeys = ecKeys();
            JcaX509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caSubject, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                    new X500Name("CN=" + (names.isEmpty() ? "localhost" : names.get(0))), serverKeys.getPublic());
            List<GeneralName> alt = new ArrayList<>();
            for (String name : names) {
                alt.add(new GeneralName(GeneralName.dNSName, name));
            }
            alt.add(new GeneralName(GeneralName.dNSName, "localhost"));
            alt.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            alt.add(new GeneralName(GeneralName.iPAddress, "::1"));
            server.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(GeneralName[]::new)));
            server.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            server.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate serverCert = sign(server, caKeys);

            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            char[] password = "test".toCharArray();
            keyStore.setKeyEntry("server", serverKeys.getPrivate(), password, new Certificate[] {serverCert, caCert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return new TestPki(caCert, serverCert, context, kmf);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot create the test PKI", e);
        }
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    /** The server's TLS context (certificate chain for the names given at creation). */
    public SSLContext serverContext() {
        return serverContext;
    }

    /** The server's key and certificate chain, for servers that build their own TLS context (Netty, gRPC). */
    public KeyManagerFactory serverKeyManagers() {
        return serverKeys;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public X509Certificate serverCertificate() {
        return serverCertificate;
    }

    /** Writes the CA certificate as PEM to {@code file} and returns it. */
    public Path writeCaPem(Path file) throws IOException {
        Files.writeString(file, pem(caCertificate), StandardCharsets.US_ASCII);
        return file;
    }

    /** A client context trusting only this PKI's CA (for direct test clients). */
    public SSLContext clientContext() {
        return trusting(caCertificate);
    }

    /** A client context trusting exactly the given certificates. */
    public static SSLContext trusting(X509Certificate... roots) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < roots.length; i++) {
                trust.setCertificateEntry("root-" + i, roots[i]);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(X509Certificate cert) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(cert);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }
}
