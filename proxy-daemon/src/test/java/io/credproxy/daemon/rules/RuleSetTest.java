package io.credproxy.daemon.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleSetTest {
    private static Rule rule(String host, Integer port, String secret) {
        return new Rule(host, port, Map.of("Authorization", SecretTemplate.parse("Bearer ${" + secret + "}")), Map.of(), false);
    }

    @Test
    void exactHostMatchesAnyPortUnlessNarrowed() {
        RuleSet rules = new RuleSet(List.of(rule("api.cloudflare.com", null, "A")));
        assertThat(rules.match("api.cloudflare.com", 443)).isPresent();
        assertThat(rules.match("api.cloudflare.com", 8443)).isPresent();
        assertThat(rules.match("evil.example", 443)).isEmpty();
        assertThat(rules.match("xapi.cloudflare.com", 443)).isEmpty();
    }

    @Test
    void portNarrowsAndWinsOverAnyPort() {
        Rule any = rule("api.example.com", null, "ANY");
        Rule tls = rule("api.example.com", 443, "TLS");
        RuleSet rules = new RuleSet(List.of(any, tls));
        assertThat(rules.match("api.example.com", 443)).containsSame(tls);
        assertThat(rules.match("api.example.com", 80)).containsSame(any);
    }

    @Test
    void exactBeatsWildcardAndWildcardNeedsALabel() {
        Rule wild = rule("*.workers.dev", null, "W");
        Rule exact = rule("crm.workers.dev", null, "E");
        RuleSet rules = new RuleSet(List.of(wild, exact));
        assertThat(rules.match("crm.workers.dev", 443)).containsSame(exact);
        assertThat(rules.match("other.workers.dev", 443)).containsSame(wild);
        assertThat(rules.match("workers.dev", 443)).isEmpty();
        assertThat(rules.match("evilworkers.dev", 443)).isEmpty();
    }

    @Test
    void secretNamesAreCollected() {
        RuleSet rules = new RuleSet(List.of(rule("a.example", null, "A"), rule("b.example", null, "B")));
        assertThat(rules.secretNames()).containsExactly("A", "B");
    }

    @Test
    void ruleValidation() {
        assertThatThrownBy(() -> new Rule("bad host", null, Map.of("X", SecretTemplate.parse("${A}")), Map.of(), false))
                .hasMessageContaining("invalid host");
        assertThatThrownBy(() -> new Rule("a.example", null, Map.of(), Map.of(), false))
                .hasMessageContaining("neither headers nor substitute");
        assertThatThrownBy(() -> new Rule("a.example", null, Map.of("Bad Header", SecretTemplate.parse("${A}")), Map.of(), false))
                .hasMessageContaining("invalid header name");
        assertThatThrownBy(() -> new Rule("a.example", null, Map.of(), Map.of("abc", SecretTemplate.parse("${A}")), false))
                .hasMessageContaining("at least");
        assertThatThrownBy(() -> new Rule("a.example", 0, Map.of("X", SecretTemplate.parse("${A}")), Map.of(), false))
                .hasMessageContaining("port");
    }
}
