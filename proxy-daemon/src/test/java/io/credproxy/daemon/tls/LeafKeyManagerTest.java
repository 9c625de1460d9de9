package io.credproxy.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeafKeyManagerTest {
    private static final CertificateAuthority CA = CertificateAuthority.ephemeral("test CA");
    private static final IssuedCertificate LEAF = new LeafCertificateFactory(CA).mint("api.example.com");

    @Test
    void offersTheLeafForItsOwnKeyTypeOnly() {
        LeafKeyManager km = new LeafKeyManager(LEAF);
        assertThat(km.chooseEngineServerAlias("EC", null, null)).isNotNull();
        assertThat(km.chooseEngineServerAlias("EC_EC", null, null)).isNotNull();
        assertThat(km.chooseEngineServerAlias("RSA", null, null)).isNull();
        assertThat(km.chooseEngineServerAlias("RSASSA-PSS", null, null)).isNull();
        assertThat(km.getServerAliases("EC", null)).hasSize(1);
        assertThat(km.getServerAliases("RSA", null)).isNull();
    }

    @Test
    void givesTheLeafsKeyAndChainUnderItsAlias() {
        LeafKeyManager km = new LeafKeyManager(LEAF);
        String alias = km.chooseServerAlias("EC", null, null);
        assertThat(km.getPrivateKey(alias)).isSameAs(LEAF.key());
        assertThat(km.getCertificateChain(alias)).containsExactly(LEAF.leaf(), CA.certificate());
        assertThat(km.getPrivateKey("other")).isNull();
        assertThat(km.getCertificateChain("other")).isNull();
    }

    @Test
    void neverActsAsAClient() {
        LeafKeyManager km = new LeafKeyManager(LEAF);
        assertThat(km.chooseEngineClientAlias(new String[] {"EC"}, null, null)).isNull();
        assertThat(km.chooseClientAlias(new String[] {"EC"}, null, null)).isNull();
        assertThat(km.getClientAliases("EC", null)).isNull();
    }
}
