package io.credproxy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code token_file=} / {@code CREDPROXY_TOKEN_FILE}: the path is an option, the token is read once and never shown. */
class TokenFileTest {
    private static final String TOKEN = "tok-8e2f4c1a9b7d6e5f4a3b";

    @TempDir
    Path dir;

    @Test
    void theOptionOrTheEnvironmentNamesTheFileAndTheArgumentWins() throws Exception {
        assertThat(AgentConfig.parse("token_file=/a/t", Map.of(), "x").tokenFile()).isEqualTo(Path.of("/a/t"));
        assertThat(AgentConfig.parse("", Map.of("CREDPROXY_TOKEN_FILE", "/b/t"), "x").tokenFile()).isEqualTo(Path.of("/b/t"));
        assertThat(AgentConfig.parse("token_file=/a/t", Map.of("CREDPROXY_TOKEN_FILE", "/b/t"), "x").tokenFile())
                .isEqualTo(Path.of("/a/t"));
        assertThat(AgentConfig.parse("", Map.of(), "x").tokenFile()).isNull();
        assertThatThrownBy(() -> AgentConfig.parse("token_file=", Map.of(), "x")).hasMessageContaining("token_file= is empty");
    }

    @Test
    void readsOneLineAndNamesTheFileNeverItsContent() throws Exception {
        assertThat(TokenFile.read(Files.writeString(dir.resolve("ok"), TOKEN + "\n"))).isEqualTo(TOKEN);
        assertThatThrownBy(() -> TokenFile.read(dir.resolve("absent"))).isInstanceOf(AgentConfigException.class)
                .hasMessage("token_file=" + dir.resolve("absent") + ": cannot read it (NoSuchFileException)");
        Path twoLines = Files.writeString(dir.resolve("two"), TOKEN + "\n" + TOKEN + "\n");
        assertThatThrownBy(() -> TokenFile.read(twoLines)).hasMessageContaining("expected the token on one line")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> TokenFile.read(Files.writeString(dir.resolve("empty"), "\n")))
                .hasMessageContaining("expected the token on one line");
    }

    @Test
    void theConfigsTextHoldsThePathNotTheToken() throws Exception {
        Path file = Files.writeString(dir.resolve("t"), TOKEN);
        AgentConfig config = AgentConfig.parse("token_file=" + file, Map.of(), "x");
        assertThat(config.toString()).contains(file.toString()).doesNotContain(TOKEN);
    }
}
