package io.credproxy.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamTrustTest {
    @TempDir
    Path dir;

    @Test
    void trustsSystemRootsPlusExtraCas() throws Exception {
        TestPki pki = TestPki.create("extra CA", List.of("upstream.test"));
        Path pem = pki.writeCaPem(dir.resolve("extra.pem"));
        KeyStore withExtra = UpstreamTrust.trustStore(List.of(pem.toString()));
        KeyStore systemOnly = UpstreamTrust.trustStore(List.of());
        assertThat(withExtra.size()).isEqualTo(systemOnly.size() + 1);
        assertThat(Collections.list(withExtra.aliases()).stream().map(a -> {
            try {
                return withExtra.getCertificate(a);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).contains(pki.caCertificate());
        assertThat(UpstreamTrust.clientContext(List.of(pem.toString())).isClient()).isTrue();
    }

    @Test
    void badExtraCaFilesAreClearErrors() throws Exception {
        assertThatThrownBy(() -> UpstreamTrust.clientContext(List.of(dir.resolve("missing.pem").toString())))
                .hasMessageContaining("does not exist");
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        assertThatThrownBy(() -> UpstreamTrust.clientContext(List.of(junk.toString())))
                .hasMessageContaining("is not a PEM certificate file");
    }
}
