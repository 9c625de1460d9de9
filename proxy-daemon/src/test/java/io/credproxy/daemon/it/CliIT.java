package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.testing.Canaries;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's verbs and exit codes: 0 when valid, 2 and one line for every refusal. */
class CliIT {
    @TempDir
    Path dir;

    private Map<String, String> secrets;

    private Path config(String listen, String rulesSecret) throws Exception {
        secrets = Canaries.values("CF_TOKEN", "TG_TOKEN");
        Canaries.writeEnvFile(dir.resolve("secrets.env"), secrets);
        return Files.writeString(dir.resolve("credproxy.yaml"), """
                listen: %s
                admin: 127.0.0.1:0
                secrets: secrets.env
                ca_dir: ca
                rules:
                  - host: api.cloudflare.com
                    headers: {Authorization: "Bearer ${%s}"}
                  - host: api.telegram.org
                    substitute: {"proxy-managed": "${TG_TOKEN}"}
                """.formatted(listen, rulesSecret));
    }

    @Test
    void versionNamesTheProjectVersionAndTheCommitItWasBuiltFrom() throws Exception {
        ChildDaemon.Run run = ChildDaemon.run(List.of("--version"));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String version = System.getProperty("credproxy.project.version");
        assertThat(run.stdout().strip()).matches("credproxy " + java.util.regex.Pattern.quote(version)
                + " \\(commit [0-9a-f]{12}(-dirty)?, \\d{4}-\\d\\d-\\d\\dT[^)]+\\)");
        Process git = new ProcessBuilder("git", "log", "-1", "--format=%h", "--abbrev=12").redirectErrorStream(true).start();
        String head = new String(git.getInputStream().readAllBytes()).strip();
        if (git.waitFor() == 0) {
            assertThat(run.stdout()).contains("commit " + head);
        }
    }

    @Test
    void checkListsEachRuleWithTheSecretNamesItUses() throws Exception {
        Path config = config("127.0.0.1:0", "CF_TOKEN");

        ChildDaemon.Run run = ChildDaemon.run(List.of("check", "--config", config.toString()));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("config " + config + ": ok")
                .containsPattern("api\\.cloudflare\\.com +headers Authorization +secrets: CF_TOKEN")
                .containsPattern("api\\.telegram\\.org +substitute proxy-managed +secrets: TG_TOKEN")
                .contains("none yet, created on first start");
        assertThat(run.stdout() + run.stderr()).doesNotContain(secrets.get("CF_TOKEN")).doesNotContain(secrets.get("TG_TOKEN"));
        assertThat(dir.resolve("ca")).doesNotExist();
    }

    @Test
    void aSecretsFileOthersCanReadIsRefusedByDaemonAndCheck() throws Exception {
        Path config = config("127.0.0.1:0", "CF_TOKEN");
        Files.setPosixFilePermissions(dir.resolve("secrets.env"), PosixFilePermissions.fromString("rw-r--r--"));

        for (String verb : List.of("daemon", "check")) {
            ChildDaemon.Run run = ChildDaemon.run(List.of(verb, "--config", config.toString()));

            assertThat(run.exitCode()).as(verb).isEqualTo(2);
            assertThat(run.stderr().lines().toList()).as(verb).containsExactly("credproxy: secrets file " + dir.resolve("secrets.env")
                    + " is open to group or others (mode 0644); run: chmod 600 " + dir.resolve("secrets.env"));
            assertThat(run.stdout()).isEmpty();
        }
    }

    @Test
    void aRuleNamingAMissingSecretIsRefused() throws Exception {
        Path config = config("127.0.0.1:0", "NOT_DEFINED");

        ChildDaemon.Run run = ChildDaemon.run(List.of("daemon", "--config", config.toString()));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().lines().toList()).singleElement().asString()
                .startsWith("credproxy: rule for api.cloudflare.com uses secret NOT_DEFINED, which");
    }

    @Test
    void aPortInUseIsRefused() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = config("127.0.0.1:" + taken.getLocalPort(), "CF_TOKEN");

            ChildDaemon.Run run = ChildDaemon.run(List.of("daemon", "--config", config.toString()));

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.stderr().lines().toList()).containsExactly(
                    "credproxy: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " for the proxy: address already in use");
        }
    }

    @Test
    void anAuditLogThatCannotBeOpenedIsRefusedNamingIt() throws Exception {
        Path config = config("127.0.0.1:0", "CF_TOKEN");
        Files.writeString(dir.resolve("not-a-directory"), "x");
        Files.writeString(config, Files.readString(config) + "audit_log: not-a-directory/audit.jsonl\n");

        ChildDaemon.Run run = ChildDaemon.run(List.of("daemon", "--config", config.toString()));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().lines().toList()).containsExactly("credproxy: cannot open the audit log "
                + dir.resolve("not-a-directory/audit.jsonl") + ": " + dir.resolve("not-a-directory") + " is not a directory");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void badUsageAndBadConfigAreRefusedWithOneLine() throws Exception {
        Path config = config("127.0.0.1:0", "CF_TOKEN");
        Files.writeString(dir.resolve("broken.yaml"), "listen: [unclosed\n");

        ChildDaemon.Run unknownOption = ChildDaemon.run(List.of("daemon", "--config", config.toString(), "--bogus"));
        ChildDaemon.Run badListen = ChildDaemon.run(List.of("daemon", "--config", config.toString(), "--listen", "nonsense"));
        ChildDaemon.Run brokenYaml = ChildDaemon.run(List.of("check", "--config", dir.resolve("broken.yaml").toString()));
        ChildDaemon.Run missingFile = ChildDaemon.run(List.of("check", "--config", dir.resolve("absent.yaml").toString()));

        for (ChildDaemon.Run run : List.of(unknownOption, badListen, brokenYaml, missingFile)) {
            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
            assertThat(run.stderr().lines().toList()).as(run.stderr()).singleElement().asString().startsWith("credproxy: ");
        }
        assertThat(brokenYaml.stderr()).contains("not valid YAML");
        assertThat(missingFile.stderr()).contains("does not exist");
    }

    @Test
    void aWildcardOverAPublicSuffixIsRefusedByCheckAndTheDaemonNamingTheRule() throws Exception {
        Path config = config("127.0.0.1:0", "CF_TOKEN");
        String rules = Files.readString(config);
        for (String host : List.of("*.workers.dev", "*.com", "*.googleapis.com")) {
            Files.writeString(config, rules + "  - host: \"" + host + "\"\n    headers: {Authorization: \"Bearer ${CF_TOKEN}\"}\n");
            for (String verb : List.of("check", "daemon")) {
                ChildDaemon.Run run = ChildDaemon.run(List.of(verb, "--config", config.toString()));

                assertThat(run.exitCode()).as(verb + " " + host).isEqualTo(2);
                assertThat(run.stderr().lines().toList()).as(verb + " " + host).singleElement().asString()
                        .startsWith("credproxy: config file " + config + ": rules[2]: rule for " + host + ": '" + host.substring(2)
                                + "' is a public suffix");
            }
        }
    }

    @Test
    void aWildcardBelowARegistrableDomainOrWithAllowPublicSuffixIsAccepted() throws Exception {
        Path config = config("127.0.0.1:0", "CF_TOKEN");
        Files.writeString(config, Files.readString(config)
                + "  - host: \"*.example.com\"\n    headers: {Authorization: \"Bearer ${CF_TOKEN}\"}\n"
                + "  - host: \"*.workers.dev\"\n    allow_public_suffix: true\n    headers: {Authorization: \"Bearer ${CF_TOKEN}\"}\n"
                + "egress:\n  default: deny\n  allow: [\"*.example.com:443\"]\n  allow_addresses: [\"10.20.0.0/16\"]\n");

        ChildDaemon.Run run = ChildDaemon.run(List.of("check", "--config", config.toString()));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).containsPattern("\\*\\.example\\.com +headers Authorization +secrets: CF_TOKEN")
                .containsPattern("\\*\\.workers\\.dev +headers Authorization; allow_public_suffix +secrets: CF_TOKEN")
                .contains("egress  default deny, allow [*.example.com:443], deny [], allow_addresses [10.20.0.0/16]");
    }
}
