package io.credproxy.daemon.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** ECDSA P-256 keys for the CA and the leaves: fast to generate, accepted by every current client. */
final class KeyPairs {
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private KeyPairs() {}

    static KeyPair generate() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** Whether {@code key} is the private half of {@code publicKey}: sign and verify a probe. */
    static boolean matches(PublicKey publicKey, PrivateKey key) throws GeneralSecurityException {
        byte[] probe = "credproxy key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        return verifier.verify(signature);
    }
}
