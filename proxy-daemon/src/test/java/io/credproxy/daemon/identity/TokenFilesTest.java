package io.credproxy.daemon.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.config.IdentityConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFilesTest {
    private static final String TOKEN = "tok-4f1c2a9b8e7d6c5b4a39";

    @TempDir
    Path dir;

    private Path token(String mode, String content) throws Exception {
        Path file = dir.resolve("app.token");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static IdentityConfig config(Path file) {
        return new IdentityConfig(Map.of("billing", new IdentityConfig.App("billing", List.of(1002L), file.toString())),
                IdentityConfig.UnknownPeers.ANONYMOUS);
    }

    @Test
    void readsOneLineFromA0600Or0640File() throws Exception {
        assertThat(TokenFiles.load(config(token("rw-------", TOKEN + "\n")))).containsExactly(Map.entry("billing", TOKEN));
        assertThat(TokenFiles.load(config(token("rw-r-----", TOKEN)))).containsEntry("billing", TOKEN);
    }

    @Test
    void refusesAFileOthersCanReadOrItsGroupCanWriteWithoutQuotingIt() throws Exception {
        for (String mode : List.of("rw-r--r--", "rw-rw----", "rw----r--")) {
            Path file = token(mode, TOKEN);
            assertThatThrownBy(() -> TokenFiles.load(config(file))).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("token file of app billing " + file + " is open to others or writable by its group")
                    .hasMessageNotContaining(TOKEN);
        }
    }

    @Test
    void refusesAMissingFileAShortTokenAndSeveralLines() throws Exception {
        assertThatThrownBy(() -> TokenFiles.load(config(dir.resolve("missing")))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> TokenFiles.load(config(token("rw-------", "short")))).hasMessageContaining("shorter than 16");
        assertThatThrownBy(() -> TokenFiles.load(config(token("rw-------", TOKEN + "\n" + TOKEN))))
                .hasMessageContaining("one line").hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> TokenFiles.load(config(dir)))
                .hasMessageContaining("is not a regular file");
    }
}
