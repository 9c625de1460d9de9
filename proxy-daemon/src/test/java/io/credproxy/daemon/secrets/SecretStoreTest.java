package io.credproxy.daemon.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.credproxy.daemon.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {
    private static final int OTHER_UID = 64123;

    @TempDir
    Path dir;

    @Test
    void loadsAPrivateFileOwnedByThisUser() throws Exception {
        Path file = secretsFile("API_TOKEN=abc123\n", "rw-------");

        Secrets secrets = new SecretStore(Map.of()).load(file.toString());

        assertThat(secrets.get("API_TOKEN")).contains("abc123");
    }

    @Test
    void refusesAFileGroupOrOthersCanRead() throws Exception {
        Path file = secretsFile("API_TOKEN=abc123\n", "rw-r-----");

        assertThatThrownBy(() -> new SecretStore(Map.of()).load(file.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("secrets file " + file + " is open to group or others (mode 0640); run: chmod 600 " + file);
    }

    @Test
    void refusesAMissingFile() {
        Path file = dir.resolve("absent");

        assertThatThrownBy(() -> SecretStore.checkSafe(file)).hasMessage("secrets file " + file + " does not exist");
    }

    @Test
    void refusesAFileOwnedByAnotherUserNamingOwnerAndExpectedUser() throws Exception {
        Path file = secretsFile("API_TOKEN=abc123\n", "rw-------");
        long owner = uid(file);
        if (owner == 0) {
            // Running as root: hand the file to another user, as an installer mistake would.
            Files.setAttribute(file, "unix:uid", OTHER_UID, LinkOption.NOFOLLOW_LINKS);
            owner = OTHER_UID;
        }
        String ownerName = Files.getOwner(file).getName();
        long someoneElse = owner + 1;

        assertThatThrownBy(() -> SecretStore.checkSafe(file, someoneElse, "openclaw-secrets"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("secrets file " + file + " is owned by " + ownerName
                        + ", not by openclaw-secrets (the user this runs as) or root; run: chown openclaw-secrets " + file);
    }

    @Test
    void acceptsAFileOwnedByRootWhoeverRuns() throws Exception {
        Path file = secretsFile("API_TOKEN=abc123\n", "rw-------");
        assumeTrue(uid(file) == 0, "only root can create a root-owned file");

        SecretStore.checkSafe(file, OTHER_UID, "openclaw-secrets");
    }

    @Test
    void acceptsAFileOwnedByTheCurrentUser() throws Exception {
        Path file = secretsFile("API_TOKEN=abc123\n", "rw-------");

        SecretStore.checkSafe(file);
        SecretStore.checkSafe(file, uid(file), "whoever");
    }

    @Test
    void readsASystemdCredentialFromCredentialsDirectory() throws Exception {
        Path file = secretsFile("API_TOKEN=abc123\n", "r--------");
        Path credentials = file.getParent();
        Files.move(file, credentials.resolve("secrets"));

        Secrets secrets = new SecretStore(Map.of("CREDENTIALS_DIRECTORY", credentials.toString()))
                .load("systemd-credential:secrets");

        assertThat(secrets.names()).containsExactly("API_TOKEN");
    }

    @Test
    void systemdCredentialWithoutCredentialsDirectorySaysHowToRunIt() {
        assertThatThrownBy(() -> new SecretStore(Map.of()).load("systemd-credential:secrets"))
                .hasMessageContaining("needs $CREDENTIALS_DIRECTORY")
                .hasMessageContaining("LoadCredential=secrets:");
    }

    @Test
    void aMalformedLineIsNamedWithoutItsValue() throws Exception {
        String canary = "CANARY" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        Path file = secretsFile("GOOD=1\n" + canary + "\n", "rw-------");

        assertThatThrownBy(() -> new SecretStore(Map.of()).load(file.toString()))
                .hasMessage("secrets file " + file + " line 2: expected KEY=VALUE")
                .message().doesNotContain(canary);
    }

    private Path secretsFile(String content, String mode) throws IOException {
        Path file = dir.resolve("env");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static long uid(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    }
}
