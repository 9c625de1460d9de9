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

    private Path envFile(String mode) throws Exception {
        Path file = dir.resolve("env");
        Files.writeString(file, "TOKEN=value-1234\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void loadsAnOwnerOnlyFile() throws Exception {
        Secrets secrets = new SecretStore().load(envFile("rw-------").toString());
        assertThat(secrets.get("TOKEN")).contains("value-1234");
        assertThat(secrets.toString()).contains("TOKEN").doesNotContain("value-1234");
    }

    @Test
    void refusesAFileOthersCanRead() throws Exception {
        Path file = envFile("rw-r--r--");
        assertThatThrownBy(() -> new SecretStore().load(file.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("open to group or others (mode 0644)")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void refusesAFileTheGroupCanWrite() throws Exception {
        Path file = envFile("rw--w----");
        assertThatThrownBy(() -> new SecretStore().load(file.toString())).hasMessageContaining("mode 0620");
    }

    @Test
    void refusesMissingFilesAndDirectories() {
        assertThatThrownBy(() -> new SecretStore().load(dir.resolve("nope").toString())).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new SecretStore().load(dir.toString())).hasMessageContaining("not a regular file");
    }

    @Test
    void readsSystemdCredentials() throws Exception {
        Path file = dir.resolve("secrets");
        Files.writeString(file, "TOKEN=from-systemd\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        SecretStore store = new SecretStore(Map.of("CREDENTIALS_DIRECTORY", dir.toString()));
        assertThat(store.load("systemd-credential:secrets").get("TOKEN")).contains("from-systemd");
    }

    @Test
    void systemdCredentialWithoutSystemdIsAClearError() {
        assertThatThrownBy(() -> new SecretStore(Map.of()).load("systemd-credential:secrets"))
                .hasMessageContaining("needs $CREDENTIALS_DIRECTORY");
        assertThatThrownBy(() -> new SecretStore(Map.of("CREDENTIALS_DIRECTORY", "/x")).load("systemd-credential:../etc"))
                .hasMessageContaining("must name one credential");
    }

    @Test
    void refusesAFileOwnedByAnotherUserNamingOwnerAndExpectedUser() throws Exception {
        Path file = envFile("rw-------");
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
        Path file = envFile("rw-------");
        assumeTrue(uid(file) == 0, "only root can create a root-owned file");

        SecretStore.checkSafe(file, OTHER_UID, "openclaw-secrets");
    }

    @Test
    void acceptsAFileOwnedByTheCurrentUser() throws Exception {
        Path file = envFile("rw-------");

        SecretStore.checkSafe(file);
        SecretStore.checkSafe(file, uid(file), "whoever");
    }

    @Test
    void aMalformedLineIsNamedWithoutItsValue() throws Exception {
        String canary = "CANARY" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        Path file = envFile("rw-------");
        Files.writeString(file, "GOOD=1\n" + canary + "\n");

        assertThatThrownBy(() -> new SecretStore(Map.of()).load(file.toString()))
                .hasMessage("secrets file " + file + " line 2: expected KEY=VALUE")
                .message().doesNotContain(canary);
    }

    private static long uid(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    }
}
