package io.credproxy.daemon.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** ECDSA P-256 keys for the CA and the leaves: fast to generate, accepted by every current client. */
final class KeyPairs {
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    /**
     * The randomness for keys, signatures and serials: the JDK's DRBG (NIST SP 800-90A), seeded from
     * the operating system once, when this class loads (loading the CA, at start-up). Why not the
     * platform default (NativePRNG on Linux): it reads {@code /dev/urandom} on the calling thread
     * whenever its 32-byte buffer is older than 100 ms, and leaves are minted on an event loop (the
     * SNI callback), where no file I/O may run (EventLoopsNeverBlockIT).
     */
    static final SecureRandom RANDOM = seededOnce();

    private KeyPairs() {}

    static KeyPair generate() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static SecureRandom seededOnce() {
        try {
            SecureRandom random = SecureRandom.getInstance("DRBG");
            random.nextBytes(new byte[1]); // a DRBG reads its seed on first use: now, not on the first leaf
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no DRBG SecureRandom in this JDK", e);
        }
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
