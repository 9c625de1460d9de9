package io.credproxy.daemon.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.secrets.EnvFileParser;
import io.credproxy.daemon.secrets.SecretStore;
import io.credproxy.daemon.secrets.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the shipped samples under {@code packaging/} valid and consistent with each other.
 *
 * <p>The samples are what a newcomer copies; if the loader's keys change, this test fails instead
 * of the first real installation.
 */
class PackagingSamplesTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void sampleConfigLoadsWithTheSeedsFourHosts() throws Exception {
        ProxyConfig config = loader.load(PackagingFiles.file("credproxy.yaml"));

        assertThat(config.rules()).extracting(Rule::host).containsExactly(
                "places.googleapis.com", "striping-app.example-account.workers.dev",
                "api.cloudflare.com", "api.telegram.org");
        assertThat(config.secrets()).isEqualTo("systemd-credential:secrets");
        assertThat(config.caDir()).isEqualTo("/etc/credproxy/ca");
        assertThat(config.listen().toString()).isEqualTo("127.0.0.1:18080");
        assertThat(config.admin().toString()).isEqualTo("127.0.0.1:18081");
        Rule telegram = config.rules().get(3);
        assertThat(telegram.substitute()).containsOnlyKeys("proxy-managed");
        assertThat(telegram.secretNames()).containsExactly("TELEGRAM_BOT_TOKEN");
    }

    @Test
    void exampleSecretsDefineEveryNameTheSampleRulesUseAndAreVisiblyFake() throws Exception {
        ProxyConfig config = loader.load(PackagingFiles.file("credproxy.yaml"));
        Map<String, String> example = EnvFileParser.parse("env.example",
                Files.readString(PackagingFiles.file("env.example")));

        Secrets secrets = new Secrets("env.example", example);
        Policy policy = Policy.resolve(config.rules(), secrets);

        assertThat(policy.match("api.telegram.org", 443)).isPresent();
        assertThat(example.values()).allSatisfy(v -> assertThat(v).contains("FAKE"));
    }

    @Test
    void sampleConfigResolvesItsCredentialThroughSecretStore(@TempDir Path credentials)
            throws Exception {
        ProxyConfig config = loader.load(PackagingFiles.file("credproxy.yaml"));
        Path secretsFile = credentials.resolve("secrets");
        Files.copy(PackagingFiles.file("env.example"), secretsFile);
        Files.setPosixFilePermissions(secretsFile, PosixFilePermissions.fromString("r--------"));

        Secrets secrets = new SecretStore(Map.of("CREDENTIALS_DIRECTORY", credentials.toString())).load(config.secrets());

        assertThat(secrets.names()).contains("TELEGRAM_BOT_TOKEN", "CLOUDFLARE_D1_API_TOKEN");
    }

    @Test
    void sandboxEnvironmentHoldsOnlyPlaceholdersAndPointsAtTheDaemon() throws Exception {
        ProxyConfig config = loader.load(PackagingFiles.file("credproxy.yaml"));
        Map<String, String> sandbox = EnvFileParser.parse("sandbox-user.env",
                Files.readString(PackagingFiles.file("sandbox-user.env")));

        for (Rule rule : config.rules()) {
            for (String name : rule.secretNames()) {
                assertThat(sandbox).as("sandbox value of %s", name).containsEntry(name, "proxy-managed");
            }
        }
        assertThat(sandbox).containsEntry("HTTP_PROXY", "http://" + config.listen())
                .containsEntry("HTTPS_PROXY", "http://" + config.listen());
        assertThat(sandbox.get("JAVA_TOOL_OPTIONS")).isEqualTo(
                "-javaagent:/opt/credproxy/credproxy-agent.jar=proxy=" + config.listen()
                        + ",admin=" + config.admin() + ",app=tito");
    }

    @Test
    void unitLoadsTheCredentialTheConfigNamesAndPollsTheConfiguredAdminPort() throws Exception {
        ProxyConfig config = loader.load(PackagingFiles.file("credproxy.yaml"));
        String unit = Files.readString(PackagingFiles.file("systemd/credproxy.service"));
        String credential = config.secrets().substring(SecretStore.SYSTEMD_CREDENTIAL_PREFIX.length());

        assertThat(unit).containsPattern("(?m)^LoadCredential=" + Pattern.quote(credential) + ":/etc/openclaw-secrets/env$");
        Matcher health = Pattern.compile("(?m)^ExecStartPost=.*http://([0-9.]+:[0-9]+)/healthz$").matcher(unit);
        assertThat(health.find()).as("ExecStartPost readiness check").isTrue();
        assertThat(health.group(1)).isEqualTo(config.admin().toString());
        assertThat(unit).containsPattern("(?m)^ReadWritePaths=" + Pattern.quote(config.caDir()) + "$");
        assertThat(unit).contains("--config /etc/credproxy/credproxy.yaml");
    }
}
