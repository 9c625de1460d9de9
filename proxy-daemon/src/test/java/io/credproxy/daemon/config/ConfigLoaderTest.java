package io.credproxy.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.daemon.egress.EgressConfig;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.protocol.config.HostPort;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private static final Path BASE = Path.of("/etc/credproxy");
    private final ConfigLoader loader = new ConfigLoader();

    private static final String FULL = """
            listen: 127.0.0.1:18080
            admin: 127.0.0.1:18081
            secrets: /etc/openclaw-secrets/env
            ca_dir: ca
            upstream:
              extra_ca: [extra.pem]
              resolve:
                "api.cloudflare.com:443": "127.0.0.1:8443"
            rules:
              - host: api.cloudflare.com
                headers: {Authorization: "Bearer ${CLOUDFLARE_D1_API_TOKEN}"}
              - host: places.googleapis.com
                port: 443
                headers: {X-Goog-Api-Key: "${GOOGLE_PLACES_API_KEY}"}
              - host: api.telegram.org
                substitute: {"proxy-managed": "${TELEGRAM_BOT_TOKEN}"}
            """;

    @Test
    void readsTheDocumentedKeys() throws Exception {
        ProxyConfig config = loader.parse(FULL, BASE);
        assertThat(config.listen()).isEqualTo(new HostPort("127.0.0.1", 18080));
        assertThat(config.caDir()).isEqualTo("/etc/credproxy/ca");
        assertThat(config.upstream().extraCa()).containsExactly("/etc/credproxy/extra.pem");
        assertThat(config.upstream().resolve())
                .containsEntry(new HostPort("api.cloudflare.com", 443), new HostPort("127.0.0.1", 8443));
        assertThat(config.rules()).extracting(Rule::host)
                .containsExactly("api.cloudflare.com", "places.googleapis.com", "api.telegram.org");
        assertThat(config.rules().get(1).port()).isEqualTo(443);
        assertThat(config.rules().get(2).substitute()).containsKey("proxy-managed");
        assertThat(config.auditLog()).isNull();
    }

    @Test
    void defaultsListenAndAdmin() throws Exception {
        ProxyConfig config = loader.parse("secrets: env\nca_dir: ca\n", BASE);
        assertThat(config.listen()).isEqualTo(ProxyConfig.DEFAULT_LISTEN);
        assertThat(config.admin()).isEqualTo(ProxyConfig.DEFAULT_ADMIN);
        assertThat(config.secrets()).isEqualTo("/etc/credproxy/env");
        assertThat(config.rules()).isEmpty();
    }

    @Test
    void keepsSystemdCredentialSourcesAsWritten() throws Exception {
        assertThat(loader.parse("secrets: systemd-credential:secrets\nca_dir: ca\n", BASE).secrets())
                .isEqualTo("systemd-credential:secrets");
    }

    @Test
    void errorsNameTheKeyPath() {
        assertThatThrownBy(() -> loader.parse("ca_dir: ca\n", BASE)).hasMessage("missing required key 'secrets'");
        assertThatThrownBy(() -> loader.parse("secrets: s\nca_dir: ca\nlisten: nowhere\n", BASE))
                .hasMessage("listen: missing port in address: nowhere");
        assertThatThrownBy(() -> loader.parse("secrets: s\nca_dir: ca\nrulez: []\n", BASE))
                .hasMessageStartingWith("unknown key 'rulez'");
        assertThatThrownBy(() -> loader.parse("secrets: s\nca_dir: ca\nrules:\n  - host: a.example\n    header: {}\n", BASE))
                .hasMessageStartingWith("unknown key 'rules[0].header'");
        assertThatThrownBy(() -> loader.parse("secrets: s\nca_dir: ca\nrules:\n  - host: a.example\n", BASE))
                .hasMessage("rules[0] (a.example): rule for a.example has neither headers nor substitute");
        assertThatThrownBy(() -> loader.parse("secrets: s\nca_dir: ca\nupstream: {resolve: {\"a:1\": 5}}\n", BASE))
                .hasMessageContaining("upstream.resolve[\"a:1\"]");
        assertThatThrownBy(() -> loader.parse("secrets: [\n", BASE)).hasMessageStartingWith("not valid YAML");
    }

    @Test
    void refusesLiteralCredentialsInTheConfig() {
        String literal = "secrets: s\nca_dir: ca\nrules:\n  - host: a.example\n    headers: {Authorization: \"Bearer hardcoded\"}\n";
        assertThatThrownBy(() -> loader.parse(literal, BASE))
                .hasMessage("rules[0].headers.Authorization: must refer to a secret as ${NAME}");
    }

    @Test
    void refusesTheSameAddressTwice() {
        assertThatThrownBy(() -> loader.parse("secrets: s\nca_dir: ca\nlisten: 127.0.0.1:1\nadmin: 127.0.0.1:1\n", BASE))
                .hasMessageContaining("same address");
    }

    @Test
    void fileErrorsNameTheFile() {
        assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/credproxy.yaml")))
                .hasMessage("config file /nonexistent/credproxy.yaml does not exist");
    }

    @Test
    void readsTheEgressSectionAndTheContainmentKeysOfARule() throws Exception {
        ProxyConfig config = loader.parse("""
                secrets: s
                ca_dir: ca
                egress:
                  default: deny
                  allow: ["github.com", "*.pypi.org:443"]
                  deny: ["*.internal"]
                  allow_addresses: ["10.20.0.0/16"]
                rules:
                  - host: api.example.com
                    substitute: {"proxy-managed": "${T}"}
                    substitute_headers: [X-Api-Key, x-other]
                  - host: "*.workers.dev"
                    allow_public_suffix: true
                    headers: {Authorization: "Bearer ${T}"}
                """, BASE);

        assertThat(config.egress().defaultAllow()).isFalse();
        assertThat(config.egress().allow()).extracting(Object::toString).containsExactly("github.com", "*.pypi.org:443");
        assertThat(config.egress().deny()).extracting(Object::toString).containsExactly("*.internal");
        assertThat(config.egress().allowAddresses()).extracting(Object::toString).containsExactly("10.20.0.0/16");
        assertThat(config.rules().get(0).substituteHeaders()).containsExactlyInAnyOrder("x-api-key", "x-other");
        assertThat(config.rules().get(1).allowPublicSuffix()).isTrue();
        assertThat(loader.parse("secrets: s\nca_dir: ca\n", BASE).egress()).isEqualTo(EgressConfig.defaults());
    }

    @Test
    void aWildcardOverAPublicSuffixIsRefusedNamingTheRule() {
        for (String host : List.of("*.workers.dev", "*.com", "*.co.uk", "*.github.io", "*.googleapis.com", "*.internal")) {
            String yaml = "secrets: s\nca_dir: ca\nrules:\n  - host: a.example.com\n    headers: {A: \"${T}\"}\n"
                    + "  - host: \"" + host + "\"\n    headers: {A: \"${T}\"}\n";
            assertThatThrownBy(() -> loader.parse(yaml, BASE)).as(host)
                    .hasMessageStartingWith("rules[1]: rule for " + host + ": '" + host.substring(2) + "' is a public suffix");
        }
    }

    @Test
    void aWildcardBelowARegistrableDomainIsAccepted() throws Exception {
        ProxyConfig config = loader.parse("secrets: s\nca_dir: ca\nrules:\n  - host: \"*.example.com\"\n    headers: {A: \"${T}\"}\n"
                + "  - host: \"*.crm.workers.dev\"\n    headers: {A: \"${T}\"}\n", BASE);
        assertThat(config.rules()).extracting(Rule::host).containsExactly("*.example.com", "*.crm.workers.dev");
    }

    @Test
    void containmentKeysAreChecked() {
        String base = "secrets: s\nca_dir: ca\nrules:\n  - host: a.example\n";
        assertThatThrownBy(() -> loader.parse(base + "    headers: {A: \"${T}\"}\n    substitute_headers: [X-Key]\n", BASE))
                .hasMessage("rules[0] (a.example): substitute_headers without substitute");
        assertThatThrownBy(() -> loader.parse(base + "    substitute: {\"proxy-managed\": \"${T}\"}\n    substitute_headers: [Host]\n", BASE))
                .hasMessage("rules[0] (a.example): substitute_headers: invalid header name 'Host'");
        assertThatThrownBy(() -> loader.parse(base + "    substitute: {\"proxy-managed\": \"${T}\"}\n    substitute_headers: X-Key\n", BASE))
                .hasMessage("rules[0].substitute_headers: expected a list of header names");
        assertThatThrownBy(() -> loader.parse(base + "    headers: {A: \"${T}\"}\n    allow_public_suffix: yes please\n", BASE))
                .hasMessage("rules[0].allow_public_suffix: expected true or false");
        assertThatThrownBy(() -> loader.parse("secrets: s\nca_dir: ca\negress: {allow_addresses: [\"10.20.1.0/16\"]}\n", BASE))
                .hasMessageStartingWith("egress.allow_addresses[0]: ");
        assertThatThrownBy(() -> loader.parse("secrets: s\nca_dir: ca\negress: {defaults: deny}\n", BASE))
                .hasMessageStartingWith("unknown key 'egress.defaults'");
    }
}
