package io.credproxy.daemon.tls;

import io.credproxy.daemon.config.ConfigException;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The interception CA: loaded from {@code ca_dir}, or created there on first start.
 *
 * <p>Files: {@code ca.pem} (certificate, 0644) and {@code ca-key.pem} (PKCS#8 private key, 0600,
 * in a 0700 directory). The key is written with its final mode from the first byte (never
 * created readable and then narrowed) and moved into place atomically, so a crash leaves either
 * no CA or a whole one. A key file open to group or others is refused like the secrets file.
 */
public final class CertificateAuthority {
    public static final String CERT_FILE = "ca.pem";
    public static final String KEY_FILE = "ca-key.pem";
    static final Duration VALIDITY = Duration.ofDays(3650);

    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final String certificatePem;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.certificatePem = toPem(certificate);
    }

    /**
     * Loads the CA from {@code dir}, creating a new one when the directory holds none.
     *
     * @throws ConfigException when the files are unreadable, inconsistent or unsafe
     */
    public static CertificateAuthority loadOrCreate(Path dir) throws ConfigException {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        boolean haveCert = Files.exists(certFile);
        boolean haveKey = Files.exists(keyFile);
        if (haveCert && haveKey) {
            return load(certFile, keyFile);
        }
        if (haveCert || haveKey) {
            throw new ConfigException("CA directory " + dir + " holds only one of " + CERT_FILE + " and " + KEY_FILE
                    + "; restore the other or remove both to create a new CA");
        }
        return create(dir, certFile, keyFile);
    }

    /** Creates a CA in memory only (tests and the demo's throw-away runs). */
    public static CertificateAuthority ephemeral(String commonName) {
        try {
            KeyPair keys = KeyPairs.generate();
            return new CertificateAuthority(selfSign(keys, commonName), keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create a CA", e);
        }
    }

    private static CertificateAuthority load(Path certFile, Path keyFile) throws ConfigException {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(keyFile);
            if (!OWNER_ONLY_FILE.containsAll(mode)) {
                throw new ConfigException("CA key " + keyFile + " is open to group or others (mode "
                        + PosixFilePermissions.toString(mode) + "); run: chmod 600 " + keyFile);
            }
            X509Certificate cert;
            PrivateKey key;
            try (PEMParser parser = new PEMParser(Files.newBufferedReader(certFile, StandardCharsets.US_ASCII))) {
                Object o = parser.readObject();
                if (!(o instanceof X509CertificateHolder holder)) {
                    throw new ConfigException("CA certificate " + certFile + " holds no PEM certificate");
                }
                cert = new JcaX509CertificateConverter().getCertificate(holder);
            }
            try (PEMParser parser = new PEMParser(Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII))) {
                Object o = parser.readObject();
                if (!(o instanceof PrivateKeyInfo info)) {
                    throw new ConfigException("CA key " + keyFile + " holds no PKCS#8 private key");
                }
                key = new JcaPEMKeyConverter().getPrivateKey(info);
            }
            if (!KeyPairs.matches(cert.getPublicKey(), key)) {
                throw new ConfigException("CA key " + keyFile + " does not belong to " + certFile);
            }
            checkValidity(cert, certFile);
            return new CertificateAuthority(cert, key);
        } catch (IOException e) {
            throw new ConfigException("CA in " + certFile.getParent() + " cannot be read: " + e.getClass().getSimpleName());
        } catch (GeneralSecurityException e) {
            throw new ConfigException("CA in " + certFile.getParent() + " is not usable: " + e.getMessage());
        }
    }

    /** The JDK's own message is the bare date ("NotAfter: ..."); say what it means and what to do. */
    private static void checkValidity(X509Certificate cert, Path certFile) throws ConfigException {
        Instant now = Instant.now();
        if (now.isAfter(cert.getNotAfter().toInstant())) {
            throw new ConfigException("CA certificate " + certFile + " expired on " + cert.getNotAfter().toInstant()
                    + "; move " + CERT_FILE + " and " + KEY_FILE + " away to create a new CA (clients must then trust the new one)");
        }
        if (now.isBefore(cert.getNotBefore().toInstant())) {
            throw new ConfigException("CA certificate " + certFile + " is not valid before " + cert.getNotBefore().toInstant()
                    + "; check the system clock");
        }
    }

    private static CertificateAuthority create(Path dir, Path certFile, Path keyFile) throws ConfigException {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            }
            KeyPair keys = KeyPairs.generate();
            X509Certificate cert = selfSign(keys, "credproxy CA " + localHostName());
            writeAtomically(dir, keyFile, keyPem(keys.getPrivate()), OWNER_ONLY_FILE);
            writeAtomically(dir, certFile, toPem(cert), PUBLIC_FILE);
            return new CertificateAuthority(cert, keys.getPrivate());
        } catch (IOException e) {
            throw new ConfigException("cannot create the CA in " + dir + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new ConfigException("cannot create the CA: " + e.getMessage());
        }
    }

    private static X509Certificate selfSign(KeyPair keys, String commonName)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, commonName)
                .addRDN(BCStyle.O, "credproxy")
                .build();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name, serial(), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), name, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        // pathLen 0: this CA signs leaves only, never another CA.
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(KeyPairs.SIGNATURE_ALGORITHM).setSecureRandom(KeyPairs.RANDOM)
                        .build(keys.getPrivate())));
    }

    static BigInteger serial() {
        return new BigInteger(127, KeyPairs.RANDOM).add(BigInteger.ONE);
    }

    private static void writeAtomically(Path dir, Path target, String content, Set<PosixFilePermission> mode) throws IOException {
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(mode));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("temporary file " + tmp + " appeared while creating the CA");
        }
        // createFile's mode is filtered by the umask; set it again to be exact.
        Files.setPosixFilePermissions(tmp, mode);
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
    }

    private static String keyPem(PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        return out.toString();
    }

    static String toPem(X509Certificate cert) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(cert);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the CA certificate", e);
        }
        return out.toString();
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    /** The CA certificate in PEM, as served at {@code /ca.pem}. */
    public String certificatePem() {
        return certificatePem;
    }
}
