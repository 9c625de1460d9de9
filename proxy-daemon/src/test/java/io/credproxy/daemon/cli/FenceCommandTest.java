package io.credproxy.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FenceCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return CredproxyCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path config(String listen, String admin) throws Exception {
        return Files.writeString(dir.resolve("c.yaml"), "listen: \"" + listen + "\"\nadmin: \"" + admin + "\"\nsecrets: env\nca_dir: ca\nrules: []\n");
    }

    @Test
    void printsATableForTheConfiguredAddresses() throws Exception {
        assertThat(run("fence", "--uid", "1001", "--uid", "1002,tito", "--config", config("[::1]:9080", "127.0.0.1:9081").toString()))
                .as(err.toString()).isZero();

        assertThat(out.toString()).contains("meta skuid { 1001, 1002, \"tito\" } jump fenced")
                .contains("ip6 daddr ::1 tcp dport 9080 accept").contains("ip daddr 127.0.0.1 tcp dport 9081 accept");
    }

    @Test
    void proxyOnlyLeavesTheAdminPortOutAndAWildcardListenMeansLoopback() throws Exception {
        assertThat(run("fence", "--uid", "1001", "--proxy-only", "--config", config("0.0.0.0:9080", "127.0.0.1:9081").toString())).isZero();

        assertThat(out.toString()).contains("ip daddr 127.0.0.1 tcp dport 9080 accept").doesNotContain("9081");
    }

    @Test
    void defaultsAreTheDefaultDaemonAddresses() {
        assertThat(run("fence", "--uid", "1001")).isZero();
        assertThat(out.toString()).contains("tcp dport 18080 accept").contains("tcp dport 18081 accept");
    }

    @Test
    void refusalsNameTheProblem() throws Exception {
        assertThat(run("fence")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--uid=UID'");

        assertThat(run("fence", "--uid", "root")).isEqualTo(2);
        assertThat(err.toString()).contains("--uid: user root must not be fenced");

        assertThat(run("fence", "--uid", "1001", "--config", config("127.0.0.1:0", "127.0.0.1:9081").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("listen port is 0");

        assertThat(run("fence", "--uid", "1001", "--config", config("localhost:9080", "127.0.0.1:9081").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("listen is localhost: write 127.0.0.1");

        assertThat(run("fence", "--uid", "1001", "--config", dir.resolve("missing.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("does not exist");
    }
}
