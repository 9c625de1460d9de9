package io.credproxy.daemon.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.daemon.config.ConfigException;
import org.junit.jupiter.api.Test;

class EnvFileParserTest {
    @Test
    void parsesCommentsQuotesAndExport() throws Exception {
        String text = "# comment\n\nA=plain\nexport B = \"double quoted\"\nC='single'\nD=with=equals\r\nE=\n";
        assertThat(EnvFileParser.parse("f", text))
                .containsEntry("A", "plain")
                .containsEntry("B", "double quoted")
                .containsEntry("C", "single")
                .containsEntry("D", "with=equals")
                .containsEntry("E", "")
                .hasSize(5);
    }

    @Test
    void errorsNameTheLineButNeverItsContent() {
        String secretLooking = "this-line-has-no-equals-sign-s3cr3t";
        assertThatThrownBy(() -> EnvFileParser.parse("secrets file x", "A=1\n" + secretLooking + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("secrets file x line 2: expected KEY=VALUE")
                .message().doesNotContain("s3cr3t");
    }

    @Test
    void rejectsUnclosedQuotesInvalidKeysAndDuplicates() {
        assertThatThrownBy(() -> EnvFileParser.parse("f", "A=\"open s3cr3t\n"))
                .hasMessageContaining("line 1: unclosed quote in the value of A")
                .message().doesNotContain("s3cr3t");
        assertThatThrownBy(() -> EnvFileParser.parse("f", "1A=x\n")).hasMessageContaining("invalid key");
        assertThatThrownBy(() -> EnvFileParser.parse("f", "A=x\nA=y\n")).hasMessageContaining("line 2: A is defined twice");
    }
}
