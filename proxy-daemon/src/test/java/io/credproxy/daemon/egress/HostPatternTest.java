package io.credproxy.daemon.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPatternTest {

    @ParameterizedTest(name = "{0} vs {1}:{2} -> {3}")
    @CsvSource({
        "github.com, github.com, 443, true", "github.com, api.github.com, 443, false", "GitHub.COM., github.com, 22, true",
        "*.pypi.org:443, files.pypi.org, 443, true", "*.pypi.org:443, files.pypi.org, 80, false",
        "*.pypi.org:443, pypi.org, 443, false", "*.pypi.org, a.b.pypi.org, 1, true", "*.pypi.org, evilpypi.org, 443, false",
        "*.pypi.org, pypi.org.evil.com, 443, false", "*.internal, metadata.google.internal, 80, true",
        "*.internal, internal, 80, false", "bücher.example, xn--bcher-kva.example, 443, true",
        "*.BÜCHER.example, a.xn--bcher-kva.example, 443, true", "0x7f.1, 127.0.0.1, 80, true",
        "[::1]:8443, ::1, 8443, true", "[::1]:8443, ::1, 443, false", "[0:0::1], ::1, 1, true", "10.0.0.1:80, 10.0.0.1, 80, true"
    })
    void matchesLikeCredentialRules(String pattern, String host, int port, boolean expected) {
        assertThat(HostPattern.parse(pattern).matches(host, port)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "refused: {0}")
    @CsvSource(delimiter = '|', value = {
        "*.pypi.org:0|port must be a number from 1 to 65535", "github.com:65536|port", "github.com:https|port",
        "github.com:|port", "::1|write IPv6 addresses in brackets", "*|'*' is only allowed", "*.|empty",
        "a.*.example|'*' is only allowed as the first label", "*.*.example|'*' is only allowed",
        "*.127.0.0.1|a wildcard needs a domain name", "exa mple.com|invalid label", "[::1|brackets",
        "|empty host pattern"
    })
    void refusesMalformedPatternsNamingThem(String text, String message) {
        assertThatThrownBy(() -> HostPattern.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void printsCanonically() {
        assertThat(HostPattern.parse("*.PyPI.org.:443")).hasToString("*.pypi.org:443");
        assertThat(HostPattern.parse("[0::1]:8443")).hasToString("[::1]:8443");
        assertThat(HostPattern.parse("Bücher.example")).hasToString("xn--bcher-kva.example");
    }

    @Test
    void denyWinsThenAllowThenDefault() {
        EgressConfig denyByDefault = new EgressConfig(false,
                List.of(HostPattern.parse("github.com"), HostPattern.parse("*.pypi.org:443"), HostPattern.parse("*.internal")),
                List.of(HostPattern.parse("*.internal")), List.of());
        EgressRules rules = new EgressRules(denyByDefault);
        assertThat(rules.decide("github.com", 443).allowed()).isTrue();
        assertThat(rules.decide("files.pypi.org", 443).allowed()).isTrue();
        assertThat(rules.decide("files.pypi.org", 80).allowed()).isFalse();
        assertThat(rules.decide("example.org", 443).reason()).isEqualTo("example.org:443 is not in egress.allow (egress.default is deny)");
        assertThat(rules.decide("vault.internal", 443).reason()).isEqualTo("vault.internal:443 matches egress.deny *.internal");
        assertThat(rules.decide("::1", 443).reason()).startsWith("[::1]:443");

        EgressRules allowByDefault = new EgressRules(new EgressConfig(true, List.of(), List.of(HostPattern.parse("*.internal")), List.of()));
        assertThat(allowByDefault.decide("example.org", 443)).isEqualTo(EgressDecision.allow());
        assertThat(allowByDefault.decide("a.internal", 443).status()).isEqualTo(403);
        assertThat(allowByDefault.decide("a.internal", 443).errorName()).isEqualTo("http_request_denied");
    }
}
