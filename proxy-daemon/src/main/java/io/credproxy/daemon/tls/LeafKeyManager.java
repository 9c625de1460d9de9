package io.credproxy.daemon.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one minted leaf (key and chain) to every TLS client of an intercepted host.
 *
 * <p>Exists for speed: building a server context from a key and chain makes Netty put them in a
 * PKCS#12 key store under a password, which runs PBKDF2 twice (store, then load), about 20 ms of
 * CPU per new host on the JDK 17 this runs on, and for nothing: the key is in memory either way.
 * Handing the key manager the key directly skips the key store. Server side only.
 */
final class LeafKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "leaf";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    LeafKeyManager(IssuedCertificate issued) {
        this.key = issued.key();
        this.chain = issued.chain();
    }

    // The JDK asks per signature scheme with the key type it needs ("EC", or "EC_EC" style names
    // for TLS 1.2 suites); answer only for this key's type, so a scheme it cannot sign is not chosen.
    private String aliasFor(String keyType) {
        String algorithm = key.getAlgorithm();
        return keyType != null && (keyType.equals(algorithm) || keyType.startsWith(algorithm + "_")) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return aliasFor(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
