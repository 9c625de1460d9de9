package io.credproxy.daemon.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Mints ECDSA P-256 leaf certificates for intercepted hosts, signed by the CA.
 *
 * <p>Each leaf has its own fresh key (never the CA's), the host as its only subject alternative
 * name (a DNS name, or an IP address for a literal), server-auth usage, and a validity of
 * {@value #VALIDITY_DAYS} days, well under the 398 days clients accept, capped by the CA's own
 * expiry. This is the only class besides {@link CertificateAuthority} that uses Bouncy Castle.
 */
public final class LeafCertificateFactory implements LeafIssuer {
    static final int VALIDITY_DAYS = 90;

    private final CertificateAuthority ca;

    public LeafCertificateFactory(CertificateAuthority ca) {
        this.ca = ca;
    }

    /** A fresh key and certificate whose SAN is {@code host} (DNS name or IP address). */
    @Override
    public IssuedCertificate mint(String host) {
        try {
            KeyPair keys = KeyPairs.generate();
            X509Certificate issuer = ca.certificate();
            Instant now = Instant.now();
            Date notAfter = Date.from(now.plus(Duration.ofDays(VALIDITY_DAYS)));
            if (notAfter.after(issuer.getNotAfter())) {
                notAfter = issuer.getNotAfter();
            }
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, host).build();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer, CertificateAuthority.serial(), Date.from(now.minus(Duration.ofHours(1))), notAfter,
                    subject, keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altName(host)));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
            X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(KeyPairs.SIGNATURE_ALGORITHM)
                            .setSecureRandom(KeyPairs.RANDOM).build(ca.privateKey())));
            return new IssuedCertificate(keys.getPrivate(), leaf, issuer);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot mint a certificate for " + host, e);
        }
    }

    private static GeneralName altName(String host) {
        boolean ipLiteral = host.indexOf(':') >= 0 || host.matches("[0-9.]+");
        return new GeneralName(ipLiteral ? GeneralName.iPAddress : GeneralName.dNSName, host);
    }
}
