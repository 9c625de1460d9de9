package io.credproxy.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.credproxy.daemon.egress.Cidr;
import io.credproxy.daemon.egress.EgressConfig;
import io.credproxy.daemon.egress.HostPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EgressConfigParserTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode egress(String yaml) throws Exception {
        return YAML.readTree(yaml).get("egress");
    }

    @Test
    void readsTheIssuesExample() throws Exception {
        EgressConfig c = EgressConfigParser.parse(egress("""
                egress:
                  default: deny
                  allow: ["github.com", "*.pypi.org:443"]
                  deny: ["*.internal"]
                  allow_addresses: ["10.20.0.0/16", "fd00:1::/32"]
                """));
        assertThat(c.defaultAllow()).isFalse();
        assertThat(c.allow()).extracting(HostPattern::toString).containsExactly("github.com", "*.pypi.org:443");
        assertThat(c.deny()).extracting(HostPattern::toString).containsExactly("*.internal");
        assertThat(c.allowAddresses()).extracting(Cidr::toString).containsExactly("10.20.0.0/16", "fd00:1::/32");
    }

    @Test
    void aMissingOrEmptySectionIsTheDefault() throws Exception {
        assertThat(EgressConfigParser.parse(null)).isEqualTo(EgressConfig.defaults());
        assertThat(EgressConfigParser.parse(egress("egress:\n"))).isEqualTo(EgressConfig.defaults());
        assertThat(EgressConfigParser.parse(egress("egress: {}\n"))).isEqualTo(EgressConfig.defaults());
        assertThat(EgressConfigParser.parse(egress("egress: {default: allow}\n")).defaultAllow()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "egress: [a]|egress: expected a mapping",
        "egress: {allow_adresses: [10.0.0.0/8]}|unknown key 'egress.allow_adresses' (known: allow, allow_addresses, default, deny)",
        "egress: {default: yes}|egress.default: expected allow or deny",
        "egress: {default: Deny}|egress.default: expected allow or deny",
        "egress: {default: false}|egress.default: expected allow or deny",
        "egress: {allow: github.com}|egress.allow: expected a list of strings",
        "egress: {deny: [1]}|egress.deny[0]: expected a string",
        "egress: {deny: ['*.x', 'a.*.b']}|egress.deny[1]: 'a.*.b': '*' is only allowed as the first label",
        "egress: {allow_addresses: ['10.20.0.0/16', '10.20.1.0/16']}|egress.allow_addresses[1]: '10.20.1.0/16': bits are set past the /16 prefix (did you mean 10.20.0.0/16?)",
        "egress: {allow_addresses: ['10.0.0.0']}|egress.allow_addresses[0]: '10.0.0.0' has no prefix length",
        "egress: {allow_addresses: ['0x0a.0/8']}|egress.allow_addresses[0]: '0x0a.0/8': '0x0a.0' is not an IPv4 or IPv6 address"
    })
    void refusesMistakesNamingTheKeyAndEntry(String yaml, String message) {
        assertThatThrownBy(() -> EgressConfigParser.parse(egress(yaml)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }
}
