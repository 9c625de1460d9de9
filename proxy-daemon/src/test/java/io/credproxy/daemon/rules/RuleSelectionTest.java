package io.credproxy.daemon.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link RuleSet#select}: the destination picks a group of rules, the request's scope picks one of them. */
class RuleSelectionTest {
    private static Rule rule(String host, String secret, Set<String> apps, Set<String> methods, String... paths) {
        return new Rule(host, null, Map.of("Authorization", SecretTemplate.parse("Bearer ${" + secret + "}")), Map.of(), false,
                new RuleScope(apps, methods, List.of(paths).stream().map(PathGlob::parse).toList()));
    }

    private static final Rule TITO_D1 = rule("api.cloudflare.com", "CF_D1", Set.of("tito"), Set.of("GET", "POST"),
            "/client/v4/accounts/*/d1/**");
    private static final Rule BILLING_ALL = rule("api.cloudflare.com", "CF_BILLING", Set.of("billing"), Set.of());
    private static final RuleSet RULES = new RuleSet(List.of(TITO_D1, BILLING_ALL));

    @Test
    void eachAppGetsTheRuleWhoseScopeAdmitsIt() {
        assertThat(RULES.select("api.cloudflare.com", 443, "tito", "GET", "/client/v4/accounts/a/d1/database").rule())
                .isSameAs(TITO_D1);
        assertThat(RULES.select("api.cloudflare.com", 443, "billing", "DELETE", "/anything").rule()).isSameAs(BILLING_ALL);
    }

    @Test
    void anAppNoRuleAdmitsIsRefusedWithTheSecretsItWouldHaveHad() {
        RuleSelection s = RULES.select("api.cloudflare.com", 443, "mallory", "GET", "/client/v4/accounts/a/d1/x");
        assertThat(s.refused()).isTrue();
        assertThat(s.rule()).isNull();
        assertThat(s.refusal()).isEqualTo("app mallory may not use the credentials for api.cloudflare.com");
        assertThat(s.refusedSecretNames()).containsExactlyInAnyOrder("CF_D1", "CF_BILLING");
        assertThat(RULES.select("api.cloudflare.com", 443, "unknown", "GET", "/").refused()).isTrue();
    }

    @Test
    void methodsAndPathsOutsideTheScopeAreRefusedWithAReason() {
        assertThat(RULES.select("api.cloudflare.com", 443, "tito", "DELETE", "/client/v4/accounts/a/d1/x").refusal())
                .isEqualTo("method DELETE is not allowed with the credentials for api.cloudflare.com (allowed: GET, POST)");
        assertThat(RULES.select("api.cloudflare.com", 443, "tito", "get", "/client/v4/accounts/a/d1/x").refusal())
                .as("methods are case-sensitive").startsWith("method get is not allowed");
        assertThat(RULES.select("api.cloudflare.com", 443, "tito", "GET", "/client/v4/accounts/a/workers/x").refusal())
                .isEqualTo("path is outside the paths allowed with the credentials for api.cloudflare.com");
        assertThat(RULES.select("api.cloudflare.com", 443, "tito", "GET", "/client/v4/accounts/a/d1/../../../user").refusal())
                .isEqualTo("path is outside the paths allowed with the credentials for api.cloudflare.com");
        assertThat(RULES.select("api.cloudflare.com", 443, "tito", "GET", "/client/v4/accounts/a/d1/..%2f..%2fuser").refusal())
                .isEqualTo("path refused: encoded slash or backslash in the path");
    }

    @Test
    void headIsAllowedWhereGetIsAndTheChosenPathIsTheNormalisedOne() {
        RuleSelection s = RULES.select("api.cloudflare.com", 443, "tito", "HEAD", "/client/v4/accounts/a/./d1/%2e/x");
        assertThat(s.rule()).isSameAs(TITO_D1);
        assertThat(s.path().raw()).isEqualTo("/client/v4/accounts/a/d1/x");
        assertThat(RULES.select("api.cloudflare.com", 443, "tito", "OPTIONS", "/client/v4/accounts/a/d1/x").refused()).isTrue();
    }

    @Test
    void theFirstRuleInFileOrderThatAdmitsTheRequestWins() {
        Rule reads = rule("api.example.com", "READ", Set.of("tito"), Set.of("GET"));
        Rule writes = rule("api.example.com", "WRITE", Set.of("tito"), Set.of());
        RuleSet rules = new RuleSet(List.of(reads, writes));
        assertThat(rules.select("api.example.com", 443, "tito", "GET", "/x").rule()).isSameAs(reads);
        assertThat(rules.select("api.example.com", 443, "tito", "POST", "/x").rule()).isSameAs(writes);
    }

    @Test
    void aMoreSpecificHostShadowsAWildcardWhateverTheirScopes() {
        Rule wildcard = rule("*.workers.dev", "WILD", Set.of(), Set.of());
        Rule crmForBilling = rule("crm.workers.dev", "CRM", Set.of("billing"), Set.of());
        RuleSet rules = new RuleSet(List.of(wildcard, crmForBilling));
        assertThat(rules.select("crm.workers.dev", 443, "tito", "GET", "/").refusal())
                .as("tito may not fall back to the wildcard's credential on the host given to billing alone")
                .isEqualTo("app tito may not use the credentials for crm.workers.dev");
        assertThat(rules.select("other.workers.dev", 443, "tito", "GET", "/").rule()).isSameAs(wildcard);
    }

    @Test
    void withoutScopesTheSelectionIsTheMatchAsBefore() {
        Rule any = rule("api.example.com", "A", Set.of(), Set.of());
        RuleSet rules = new RuleSet(List.of(any));
        assertThat(rules.select("api.example.com", 443, "whoever", "PATCH", "/a//b;c%2f").rule()).isSameAs(any);
        assertThat(rules.select("api.example.com", 443, "whoever", "PATCH", "/a//b;c%2f").path())
                .as("an unscoped rule leaves the path alone").isNull();
        assertThat(rules.select("evil.example", 443, "whoever", "GET", "/")).isSameAs(RuleSelection.NONE);
    }

    @Test
    void aConnectIsJudgedByItsAppAlone() {
        assertThat(RULES.select("api.cloudflare.com", 443, "tito", null, null).rule()).isSameAs(TITO_D1);
        assertThat(RULES.select("api.cloudflare.com", 443, "mallory", null, null).refused()).isTrue();
    }
}
