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
        assertThat(auth.verdictOn("Bearer " + VALUE)).isEqualTo(AuthVerdict.OK);
    }

    @Test
    void aMissingNameIsRefused() throws IOException {
        Path env = Files.writeString(dir.resolve("env"), "OTHER=x\n");
        assertThatThrownBy(() -> ExpectedAuth.fromEnvFile(env, "BENCH_API_TOKEN")).hasMessageContaining("BENCH_API_TOKEN");
    }

    @Test
    void directClientsSendTheValueAndProxiedOnesThePlaceholder() {
        ExpectedAuth auth = new ExpectedAuth("Bearer " + VALUE);
        Target direct = new Target("direct", null, 0, Path.of("ca.pem"), true);
        Target proxied = new Target("credproxy", new InetSocketAddress("127.0.0.1", 1), 0, Path.of("ca.pem"), true);
        assertThat(auth.sentBy(direct)).isEqualTo("Bearer " + VALUE);
        assertThat(auth.sentBy(proxied)).isEqualTo(ExpectedAuth.PLACEHOLDER);
    }

    @Test
    void theVerdictNamesWhatTheUpstreamSaw() {
        ExpectedAuth auth = new ExpectedAuth("Bearer " + VALUE);
        assertThat(auth.verdictOn(null)).isEqualTo(AuthVerdict.MISSING);
        assertThat(auth.verdictOn("")).isEqualTo(AuthVerdict.MISSING);
        assertThat(auth.verdictOn(ExpectedAuth.PLACEHOLDER)).isEqualTo(AuthVerdict.PLACEHOLDER);
        assertThat(auth.verdictOn("Bearer " + VALUE + "-wrong")).isEqualTo(AuthVerdict.WRONG);
        assertThat(auth.verdictOn("Bearer " + VALUE)).isEqualTo(AuthVerdict.OK);
    }

    @Test
    void onlyAnOkVerdictPasses() {
        assertThat(ExpectedAuth.mismatch("ok")).isNull();
        assertThat(ExpectedAuth.mismatch("ok\n")).isNull();
        assertThat(ExpectedAuth.mismatch("missing")).contains("no Authorization");
        assertThat(ExpectedAuth.mismatch("placeholder")).contains("nothing was injected");
        assertThat(ExpectedAuth.mismatch("wrong")).contains("different");
        assertThat(ExpectedAuth.mismatch(null)).contains("no X-Auth-Check");
        assertThat(ExpectedAuth.mismatch("Bearer " + VALUE)).contains("unknown verdict").doesNotContain(VALUE);
    }
}
