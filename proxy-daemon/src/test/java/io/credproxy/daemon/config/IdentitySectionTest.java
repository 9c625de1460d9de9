package io.credproxy.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.daemon.rules.Rule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code apps:} and {@code identity:} sections, and rules' {@code apps}, {@code methods} and {@code paths}. */
class IdentitySectionTest {
    private static final String BASE = "secrets: /s\nca_dir: /ca\n";

    private static ProxyConfig parse(String yaml) throws ConfigException {
        return new ConfigLoader().parse(BASE + yaml, Path.of("/etc/credproxy"));
    }

    @Test
    void bothSectionsAbsentIsOff() throws ConfigException {
        assertThat(parse("rules: []\n").identity()).isSameAs(IdentityConfig.OFF);
        assertThat(IdentityConfig.OFF.enabled()).isFalse();
    }

    @Test
    void readsAppsTheirUsersTokenFilesAndTheUnknownPolicy() throws ConfigException {
        IdentityConfig identity = parse("""
                apps:
                  tito: {uids: [1001]}
                  billing: {uids: [1002, 1003], token_file: apps/billing.token}
                identity:
                  unknown: deny
                """).identity();
        assertThat(identity.enabled()).isTrue();
        assertThat(identity.apps().keySet()).containsExactly("tito", "billing");
        assertThat(identity.apps().get("billing").uids()).containsExactly(1002L, 1003L);
        assertThat(identity.apps().get("billing").tokenFile()).isEqualTo("/etc/credproxy/apps/billing.token");
        assertThat(identity.apps().get("tito").tokenFile()).isNull();
        assertThat(identity.unknown()).isEqualTo(IdentityConfig.UnknownPeers.DENY);
        assertThat(parse("apps: {tito: {uids: [1001]}}\n").identity().unknown()).isEqualTo(IdentityConfig.UnknownPeers.ANONYMOUS);
    }

    @Test
    void refusesWhatWouldLookSafeAndNotBe() {
        assertThatThrownBy(() -> parse("identity: {unknown: deny}\n")).hasMessageContaining("identity: needs an apps: section");
        assertThatThrownBy(() -> parse("apps: {tito: {uids: []}}\n")).hasMessageContaining("apps.tito.uids: expected a non-empty list");
        assertThatThrownBy(() -> parse("apps: {tito: {uids: [\"1001\"]}}\n")).hasMessageContaining("not a numeric Unix user id");
        assertThatThrownBy(() -> parse("apps: {tito: {uids: [-1]}}\n")).hasMessageContaining("not a numeric Unix user id");
        assertThatThrownBy(() -> parse("apps: {tito: {uids: [4294967295]}}\n")).hasMessageContaining("not a numeric Unix user id");
        assertThatThrownBy(() -> parse("apps: {unknown: {uids: [1]}}\n")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> parse("apps: {\"ti to\": {uids: [1]}}\n")).hasMessageContaining("an app name is letters");
        assertThatThrownBy(() -> parse("apps: {tito: {uids: [1], token: x}}\n")).hasMessageContaining("unknown key 'apps.tito.token'");
        assertThatThrownBy(() -> parse("apps: {tito: {uids: [1]}}\nidentity: {unknown: allow}\n"))
                .hasMessageContaining("identity.unknown: expected anonymous or deny");
    }

    @Test
    void rulesScopeByAppsMethodsAndPaths() throws ConfigException {
        Rule rule = parse("""
                apps: {tito: {uids: [1001]}}
                rules:
                  - host: api.cloudflare.com
                    apps: [tito]
                    methods: [GET, post]
                    paths: ["/client/v4/accounts/*/d1/**"]
                    headers: {Authorization: "Bearer ${CF}"}
                """).rules().get(0);
        assertThat(rule.scope().apps()).containsExactly("tito");
        assertThat(rule.scope().methods()).containsExactlyInAnyOrder("GET", "POST");
        assertThat(rule.scope().paths()).extracting(Object::toString).containsExactly("/client/v4/accounts/*/d1/**");
    }

    @Test
    void aRuleMayNameOnlyAppsTheSectionDefines() {
        assertThatThrownBy(() -> parse("""
                rules:
                  - {host: a.example, apps: [tito], headers: {X: "${S}"}}
                """)).hasMessageContaining("rules[0].apps: 'tito' is not defined in the apps: section (there is none");
        assertThatThrownBy(() -> parse("""
                apps: {tito: {uids: [1]}}
                rules:
                  - {host: a.example, apps: [titoo], headers: {X: "${S}"}}
                """)).hasMessageContaining("rules[0].apps: 'titoo' is not defined");
        assertThatThrownBy(() -> parse("""
                rules:
                  - {host: a.example, methods: [], headers: {X: "${S}"}}
                """)).hasMessageContaining("rules[0].methods: expected a non-empty list");
        assertThatThrownBy(() -> parse("""
                rules:
                  - {host: a.example, methods: ["GET POST"], headers: {X: "${S}"}}
                """)).hasMessageContaining("rules[0].methods: invalid method");
        assertThatThrownBy(() -> parse("""
                rules:
                  - {host: a.example, paths: ["/a/../b"], headers: {X: "${S}"}}
                """)).hasMessageContaining("rules[0].paths: path pattern '/a/../b' holds a dot segment");
        assertThatThrownBy(() -> parse("""
                rules:
                  - {host: a.example, paths: ["/a/%2f"], headers: {X: "${S}"}}
                """)).hasMessageContaining("write it decoded");
    }

    @Test
    void rulesWithoutScopeKeysAreForAnyAppAsBefore() throws ConfigException {
        List<Rule> rules = parse("rules:\n  - {host: a.example, headers: {X: \"${S}\"}}\n").rules();
        assertThat(rules.get(0).scope().isAny()).isTrue();
    }
}
