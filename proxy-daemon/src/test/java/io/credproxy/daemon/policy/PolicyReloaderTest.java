package io.credproxy.daemon.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.secrets.SecretStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class PolicyReloaderTest {
    private static final String HOST = "api.example.test";
    private static final String RULE = "rules:\n  - host: " + HOST + "\n    headers: {Authorization: \"Bearer ${API_TOKEN}\"}\n";

    @TempDir
    Path dir;
    private Path config;
    private Path env;
    private final SecretStore store = new SecretStore(Map.of());
    private PolicyHolder holder;
    private ProxyConfig running;
    private PolicyReloader reloader;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger packageLogger = (Logger) LoggerFactory.getLogger("io.credproxy.daemon.policy");
    private final String firstToken = canary();

    @BeforeEach
    void startWithOneRule() throws Exception {
        config = dir.resolve("credproxy.yaml");
        env = dir.resolve("env");
        Files.writeString(config, "secrets: ./env\nca_dir: ./ca\n" + RULE);
        writeSecrets("API_TOKEN=" + firstToken + "\n");
        running = new ConfigLoader().load(config);
        holder = new PolicyHolder(Policy.resolve(running.rules(), store.load(running.secrets())));
        reloader = new PolicyReloader(config, running, store, holder, 50);
        logs.start();
        packageLogger.addAppender(logs);
        packageLogger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void stop() {
        reloader.close();
        packageLogger.detachAppender(logs);
        // Whatever happened, no secret value reached a log line.
        for (ILoggingEvent event : logs.list) {
            String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
            assertThat(text).doesNotContain(firstToken);
            for (String value : written) {
                assertThat(text).doesNotContain(value);
            }
        }
    }

    @Test
    void reloadSwapsInTheNewSecret() throws Exception {
        String rotated = canary();
        replaceSecrets("API_TOKEN=" + rotated + "\n");

        assertThat(reloader.reload()).isTrue();

        assertThat(authorization()).isEqualTo("Bearer " + rotated);
        assertThat(messages(Level.INFO)).anySatisfy(m -> assertThat(m).contains("reloaded", "[API_TOKEN]"));
    }

    @Test
    void aBrokenSecretsFileKeepsTheOldPolicyAndLogsOneErrorNamingFileAndLine() throws Exception {
        Policy before = holder.current();
        replaceSecrets("API_TOKEN=" + canary() + "\n" + canary() + "\n");

        assertThat(reloader.reload()).isFalse();

        assertThat(holder.current()).isSameAs(before);
        assertThat(authorization()).isEqualTo("Bearer " + firstToken);
        assertThat(messages(Level.ERROR)).singleElement().asString().contains("secrets file " + env + " line 2: expected KEY=VALUE");
    }

    @Test
    void aConfigNamingAnUndefinedSecretKeepsTheOldPolicy() throws Exception {
        Policy before = holder.current();
        Files.writeString(config, "secrets: ./env\nca_dir: ./ca\n" + RULE.replace("API_TOKEN", "UNDEFINED_TOKEN"));

        assertThat(reloader.reload()).isFalse();

        assertThat(holder.current()).isSameAs(before);
        assertThat(messages(Level.ERROR)).singleElement().asString().contains("UNDEFINED_TOKEN", env.toString());
    }

    @Test
    void invalidYamlKeepsTheOldPolicyAndNamesFileAndLine() throws Exception {
        Policy before = holder.current();
        Files.writeString(config, "secrets: ./env\nca_dir: ./ca\nrules:\n  - host: [unclosed\n");

        assertThat(reloader.reload()).isFalse();

        assertThat(holder.current()).isSameAs(before);
        assertThat(messages(Level.ERROR)).singleElement().asString().contains("config file " + config, "at line");
    }

    @Test
    void anUnsafeNewSecretsFileIsRefused() throws Exception {
        Policy before = holder.current();
        replaceSecrets("API_TOKEN=" + canary() + "\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(reloader.reload()).isFalse();

        assertThat(holder.current()).isSameAs(before);
        assertThat(messages(Level.ERROR)).singleElement().asString().contains("open to group or others");
    }

    @Test
    void aSettingThatNeedsARestartIsReportedButRulesStillReload() throws Exception {
        String rotated = canary();
        Files.writeString(config, "listen: 127.0.0.1:28080\nsecrets: ./env\nca_dir: ./ca\n" + RULE);
        replaceSecrets("API_TOKEN=" + rotated + "\n");

        assertThat(reloader.reload()).isTrue();

        assertThat(authorization()).isEqualTo("Bearer " + rotated);
        assertThat(messages(Level.WARN)).singleElement().asString().contains("listen changed", "after a restart");
    }

    @Test
    void theWatcherPicksUpARenameReplaceOfTheSecretsFile() throws Exception {
        reloader.start();
        String rotated = canary();

        replaceSecrets("API_TOKEN=" + rotated + "\n");

        awaitTrue(() -> ("Bearer " + rotated).equals(authorization()));
    }

    @Test
    void theWatcherPicksUpAnInPlaceEditOfTheConfig() throws Exception {
        reloader.start();

        Files.writeString(config, "secrets: ./env\nca_dir: ./ca\n" + RULE
                + "  - host: second.example.test\n    headers: {X-Key: \"${API_TOKEN}\"}\n");

        awaitTrue(() -> holder.current().match("second.example.test", 443).isPresent());
    }

    @Test
    void aChangeThatLeavesBothFilesAsTheyWereDoesNotReload() throws Exception {
        Policy before = holder.current();
        reloader.start();

        int checked = reloader.changesChecked();
        Files.writeString(dir.resolve("notes.txt"), "unrelated");
        Files.writeString(env, Files.readString(env)); // same bytes, new modification time
        await().atMost(Duration.ofSeconds(10)).until(() -> reloader.changesChecked() > checked);

        assertThat(holder.current()).isSameAs(before);
        assertThat(messages(Level.INFO)).noneMatch(m -> m.contains("reloaded"));
    }

    @Test
    void aBrokenEditIsReportedOnceAndItsFixIsPickedUp() throws Exception {
        reloader.start();
        String rotated = canary();

        replaceSecrets("API_TOKEN " + rotated + "\n");
        awaitTrue(() -> !messages(Level.ERROR).isEmpty());
        replaceSecrets("API_TOKEN=" + rotated + "\n");

        awaitTrue(() -> ("Bearer " + rotated).equals(authorization()));
        assertThat(messages(Level.ERROR)).hasSize(1);
    }

    @Test
    void theHolderCountsRefusedReloadsUntilOneSucceeds() throws Exception {
        java.time.Instant started = holder.loadedAt();
        assertThat(holder.reloadFailures()).isZero();
        assertThat(holder.lastReloadFailed()).isFalse();

        Files.writeString(config, "secrets: ./env\nca_dir: ./ca\nrules: [unclosed\n");
        assertThat(reloader.reload()).isFalse();
        replaceSecrets("API_TOKEN " + canary() + "\n");
        assertThat(reloader.reload()).isFalse();

        assertThat(holder.reloadFailures()).isEqualTo(2);
        assertThat(holder.lastReloadFailed()).isTrue();
        assertThat(holder.loadedAt()).as("a refused reload loads nothing").isEqualTo(started);

        Files.writeString(config, "secrets: ./env\nca_dir: ./ca\n" + RULE);
        replaceSecrets("API_TOKEN=" + canary() + "\n");
        Thread.sleep(2); // loadedAt has millisecond steps on some clocks
        assertThat(reloader.reload()).isTrue();

        assertThat(holder.reloadFailures()).as("a count of refusals, never reset").isEqualTo(2);
        assertThat(holder.lastReloadFailed()).isFalse();
        assertThat(holder.loadedAt()).isAfter(started);
    }

    @Test
    void aBrokenConfigIsReportedOnceWhileUnrelatedFilesChange() throws Exception {
        reloader.start();
        Files.writeString(config, "secrets: ./env\nca_dir: ./ca\nrules: [unclosed\n");
        awaitTrue(() -> !messages(Level.ERROR).isEmpty());
        awaitTrue(() -> reloader.changesChecked() > 0);
        int checked = reloader.changesChecked();

        Files.writeString(dir.resolve("notes.txt"), "unrelated");
        Files.writeString(config, Files.readString(config)); // the same broken bytes, written again
        awaitTrue(() -> reloader.changesChecked() > checked);

        assertThat(messages(Level.ERROR)).hasSize(1);
    }

    @Test
    void sighupReloads() throws Exception {
        reloader.start();
        assumeTrue(reloader.handlesHangup(), "this JDK offers no signal handling");
        String rotated = canary();
        // The watcher may see the new file first; the signal reloads whatever the content, so its own
        // log line is what proves the signal path.
        replaceSecrets("API_TOKEN=" + rotated + "\n");

        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
        assertThat(kill.waitFor()).isZero();

        awaitTrue(() -> ("Bearer " + rotated).equals(authorization()));
        awaitTrue(() -> messages(Level.INFO).stream().anyMatch(m -> m.contains("reloaded after SIGHUP")));
    }

    @Test
    void secretsFromASystemdCredentialSayThatRotationNeedsARestart() throws Exception {
        Path credentials = Files.createDirectory(dir.resolve("credentials"));
        Files.copy(env, credentials.resolve("secrets"));
        Files.writeString(config, "secrets: systemd-credential:secrets\nca_dir: ./ca\n" + RULE);
        SecretStore credentialStore = new SecretStore(Map.of("CREDENTIALS_DIRECTORY", credentials.toString()));
        ProxyConfig credentialConfig = new ConfigLoader().load(config);
        reloader.close();
        reloader = new PolicyReloader(config, credentialConfig, credentialStore, holder, 50);

        reloader.start();

        assertThat(messages(Level.INFO)).anySatisfy(m -> assertThat(m).contains("systemd-credential:secrets", "restart the service"));
        assertThat(reloader.reload()).isTrue();
    }

    private final List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void writeSecrets(String content) throws IOException {
        remember(content);
        Files.writeString(env, content);
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
    }

    /** Replaces the secrets file the way editors and install(1) do: a new file renamed over the old. */
    private void replaceSecrets(String content) throws IOException {
        remember(content);
        Path next = dir.resolve(".env.tmp");
        Files.writeString(next, content);
        Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
        Files.move(next, env, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void remember(String content) {
        for (String line : content.split("\n")) {
            String value = line.contains("=") ? line.substring(line.indexOf('=') + 1) : line.replaceFirst("^API_TOKEN ", "");
            if (value.length() > 8) {
                written.add(value);
            }
        }
    }

    private String authorization() {
        return holder.current().match(HOST, 443).orElseThrow().headers().get("Authorization");
    }

    private List<String> messages(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static void awaitTrue(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    private static String canary() {
        return "canary" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    }
}
