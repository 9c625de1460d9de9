package io.credproxy.daemon.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.rules.SecretTemplate;
import io.credproxy.daemon.secrets.Secrets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyTest {
    private static final Rule CLOUDFLARE = new Rule("api.cloudflare.com", null,
            Map.of("Authorization", SecretTemplate.parse("Bearer ${CF}")), Map.of(), false);
    private static final Rule TELEGRAM = new Rule("api.telegram.org", null,
            Map.of(), Map.of("proxy-managed", SecretTemplate.parse("${TG}")), false);

    @Test
    void resolvesHeaderValuesAndSubstitutions() throws Exception {
        Policy policy = Policy.resolve(List.of(CLOUDFLARE, TELEGRAM), new Secrets("env", Map.of("CF", "cf-1", "TG", "tg-2")));
        ResolvedRule cf = policy.match("api.cloudflare.com", 443).orElseThrow();
        assertThat(cf.headers()).containsExactly(Map.entry("Authorization", "Bearer cf-1"));
        assertThat(cf.secretNames()).containsExactly("CF");
        assertThat(cf.toString()).doesNotContain("cf-1");
        assertThat(policy.match("api.telegram.org", 443).orElseThrow().substitutions()).containsEntry("proxy-managed", "tg-2");
        assertThat(policy.match("evil.example", 443)).isEmpty();
    }

    @Test
    void missingSecretNamesTheRuleAndTheSource() {
        assertThatThrownBy(() -> Policy.resolve(List.of(CLOUDFLARE), new Secrets("/etc/openclaw-secrets/env", Map.of())))
                .hasMessage("rule for api.cloudflare.com uses secret CF, which /etc/openclaw-secrets/env does not define");
    }

    @Test
    void valueWithALineBreakIsRefusedWithoutPrintingIt() {
        assertThatThrownBy(() -> Policy.resolve(List.of(CLOUDFLARE), new Secrets("env", Map.of("CF", "x\r\nEvil: s3cr3t"))))
                .hasMessageContaining("line break")
                .message().doesNotContain("s3cr3t");
    }

    @Test
    void holderSwapsWholePolicies() throws Exception {
        Policy first = Policy.resolve(List.of(CLOUDFLARE), new Secrets("env", Map.of("CF", "one")));
        Policy second = Policy.resolve(List.of(CLOUDFLARE), new Secrets("env", Map.of("CF", "two")));
        PolicyHolder holder = new PolicyHolder(first);
        Policy seenByInFlightRequest = holder.current();
        holder.swap(second);
        assertThat(seenByInFlightRequest.match("api.cloudflare.com", 443).orElseThrow().headers()).containsValue("Bearer one");
        assertThat(holder.current().match("api.cloudflare.com", 443).orElseThrow().headers()).containsValue("Bearer two");
    }
}
