package io.credproxy.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.testing.Canaries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredproxyCliTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return CredproxyCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path validConfig() throws Exception {
        Map<String, String> secrets = Canaries.values("CF_TOKEN");
        Canaries.writeEnvFile(dir.resolve("env"), secrets);
        return Files.writeString(dir.resolve("c.yaml"), """
                secrets: env
                ca_dir: ca
                rules:
                  - host: api.cloudflare.com
                    port: 443
                    headers: {Authorization: "Bearer ${CF_TOKEN}", X-Extra: "${CF_TOKEN}"}
                """);
    }

    @Test
    void checkPrintsRulesWithSecretNamesAndExitsZero() throws Exception {
        Path config = validConfig();

        assertThat(run("check", "--config", config.toString())).isZero();

        assertThat(out.toString()).contains("api.cloudflare.com:443  headers Authorization,X-Extra  secrets: CF_TOKEN")
                .contains("listen  127.0.0.1:18080").contains("admin   127.0.0.1:18081");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aConfigProblemIsOneLineAndExitTwo() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "secrets: env\nca_dir: ca\nrulez: []\n");

        assertThat(run("check", "--config", dir.resolve("bad.yaml").toString())).isEqualTo(2);

        assertThat(err.toString().lines()).singleElement().asString().startsWith("credproxy: config file ")
                .contains("unknown key 'rulez'");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run("check")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
    }

    @Test
    void helpAndVersionExitZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("daemon").contains("check");
        assertThat(run("--version")).isZero();
        assertThat(run("daemon", "--help")).isZero();
        assertThat(out.toString()).contains("--listen=HOST:PORT");
    }

    @Test
    void reportIsAVerbWithItsOwnExitCodes() throws Exception {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("report");
        Path log = Files.writeString(dir.resolve("audit.jsonl"),
                "{\"type\":\"request\",\"timeMillis\":1,\"app\":\"tito\",\"host\":\"api.cloudflare.com\",\"port\":443,"
                        + "\"decision\":\"injected\",\"secretNames\":[\"CF_TOKEN\"],\"status\":200}\n");

        assertThat(run("report", "--audit-log", log.toString(), "--format", "json")).isZero();
        assertThat(out.toString()).contains("\"app\" : \"tito\"").contains("CF_TOKEN");

        assertThat(run("report", "--admin", "127.0.0.1:1", "--audit-log", log.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("credproxy: --admin and --audit-log cannot be used together");
        assertThat(run("report", "--audit-log", dir.resolve("absent.jsonl").toString())).isEqualTo(2);
    }
}
