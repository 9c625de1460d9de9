package io.credproxy.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpectedAuthTest {
    private static final String VALUE = "canary-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void readsTheSecretFromTheEnvFileAsABearerValue() throws IOException {
        Path env = Files.writeString(dir.resolve("env"), "# comment\nOTHER=x\nBENCH_API_TOKEN=\"" + VALUE + "\"\n");
        ExpectedAuth auth = ExpectedAuth.fromEnvFile(env, "BENCH_API_TOKEN");
        assertThat(auth.mismatch("Bearer " + VALUE)).isNull();
    }

    @Test
    void aMissingNameIsRefused() throws IOException {
        Path env = Files.writeString(dir.resolve("env"), "OTHER=x\n");
        assertThatThrownBy(() -> ExpectedAuth.fromEnvFile(env, "BENCH_API_TOKEN")).hasMessageContaining("BENCH_API_TOKEN");
    }

    @Test
    void directClientsSendTheValueAndProxiedOnesThePlaceholder() {
        ExpectedAuth auth = new ExpectedAuth("Bearer " + VALUE);
        Target direct = new Target("direct", null, 0, Path.of("ca.pem"));
        Target proxied = new Target("credproxy", new InetSocketAddress("127.0.0.1", 1), 0, Path.of("ca.pem"));
        assertThat(auth.sentBy(direct)).isEqualTo("Bearer " + VALUE);
        assertThat(auth.sentBy(proxied)).isEqualTo(ExpectedAuth.PLACEHOLDER);
    }

    @Test
    void mismatchesAreDescribedWithoutValues() {
        ExpectedAuth auth = new ExpectedAuth("Bearer " + VALUE);
        assertThat(auth.mismatch(null)).isEqualTo("upstream saw no Authorization header");
        assertThat(auth.mismatch(ExpectedAuth.PLACEHOLDER)).contains("nothing was injected");
        String other = auth.mismatch("Bearer " + VALUE + "-wrong");
        assertThat(other).contains("different").doesNotContain(VALUE);
    }
}
