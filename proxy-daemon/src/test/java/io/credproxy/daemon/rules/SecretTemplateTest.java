package io.credproxy.daemon.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTemplateTest {
    @Test
    void rendersReferences() {
        SecretTemplate t = SecretTemplate.parse("Bearer ${TOKEN} and ${OTHER}");
        assertThat(t.secretNames()).containsExactly("TOKEN", "OTHER");
        assertThat(t.render(Map.of("TOKEN", "a", "OTHER", "b")::get)).isEqualTo("Bearer a and b");
    }

    @Test
    void escapedDollarIsLiteral() {
        SecretTemplate t = SecretTemplate.parse("$${NOT} ${YES}");
        assertThat(t.secretNames()).containsExactly("YES");
        assertThat(t.render(n -> "v")).isEqualTo("${NOT} v");
    }

    @Test
    void toStringHoldsNamesNotValues() {
        SecretTemplate t = SecretTemplate.parse("Bearer ${TOKEN}");
        t.render(n -> "secret-value");
        assertThat(t.toString()).isEqualTo("Bearer ${TOKEN}").doesNotContain("secret-value");
    }

    @Test
    void rejectsMalformedReferences() {
        assertThatThrownBy(() -> SecretTemplate.parse("Bearer ${TOKEN")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> SecretTemplate.parse("${1BAD}")).hasMessageContaining("invalid secret name");
    }

    @Test
    void missingValueFailsInsteadOfRenderingEmpty() {
        SecretTemplate t = SecretTemplate.parse("Bearer ${TOKEN}");
        assertThatThrownBy(() -> t.render(n -> null)).hasMessageContaining("TOKEN");
    }
}
