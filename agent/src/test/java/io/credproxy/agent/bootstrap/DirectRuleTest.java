package io.credproxy.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DirectRuleTest {
    @Test
    void aNameRuleMatchesTheNameNotWhatItResolvesTo() {
        DirectRule localhost = DirectRule.parse("localhost");
        assertThat(localhost.matches("LOCALHOST.", 80)).isTrue();
        assertThat(localhost.matches("api.cloudflare.com", 80)).isFalse();
        assertThat(DirectRule.parse("127.0.0.0/8").matches("api.cloudflare.com", 443))
                .as("a name that resolves to loopback is not exempt by the loopback network").isFalse();
    }

    @Test
    void networksAndLiterals() throws Exception {
        DirectRule loopback = DirectRule.parse("127.0.0.0/8");
        assertThat(loopback.matches("127.1.2.3", 1)).isTrue();
        assertThat(loopback.matches("128.0.0.1", 1)).isFalse();
        assertThat(loopback.matches("::ffff:127.0.0.9", 5)).as("IPv4-mapped: the IPv4 address it is").isTrue();
        assertThat(loopback.matches("0177.0.0.1", 5)).as("octal-looking: no literal here").isFalse();
        assertThat(DirectRule.parse("::1").matches("[::1]", 8080)).isTrue();
        assertThat(DirectRule.parse("[fd00::/8]:5432").matches("fd12::1", 5432)).isTrue();
        assertThat(DirectRule.parse("[fd00::/8]:5432").matches("fd12::1", 5433)).isFalse();
    }

    @Test
    void portsAndSuffixes() {
        assertThat(DirectRule.parse("db.internal:5432").matches("db.internal", 5432)).isTrue();
        assertThat(DirectRule.parse("db.internal:5432").matches("db.internal", 443)).isFalse();
        DirectRule suffix = DirectRule.parse("*.internal");
        assertThat(suffix.matches("a.b.internal", 1)).isTrue();
        assertThat(suffix.matches("internal", 1)).isFalse();
        assertThat(suffix.matches("evilinternal", 1)).isFalse();
    }

    @Test
    void badEntriesAreRefused() {
        assertThatThrownBy(() -> DirectRule.parse("10.0.0.0/33")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> DirectRule.parse("host:99999")).hasMessageContaining("port");
        assertThatThrownBy(() -> DirectRule.parse("bad host")).hasMessageContaining("not a host name");
        assertThatThrownBy(() -> DirectRule.parse("[::1")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> DirectRule.parse("[fd00::]/8:5432")).hasMessageContaining("expected ':port'");
        assertThatThrownBy(() -> DirectRule.parse("fe80:::1")).hasMessageContaining("not a host name");
    }

    @Test
    void literalsNeverResolveNames() {
        assertThat(DirectRule.literal("example.invalid")).isNull();
        assertThat(DirectRule.literal("10.1.2.3")).containsExactly(10, 1, 2, 3);
        assertThat(DirectRule.literal("999.1.1.1")).isNull();
    }
}
