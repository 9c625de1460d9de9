package io.credproxy.daemon.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.daemon.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {
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
}
