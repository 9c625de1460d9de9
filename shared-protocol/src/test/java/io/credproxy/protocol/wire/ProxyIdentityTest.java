package io.credproxy.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProxyIdentityTest {
    @Test
    void roundTripsThroughTheHeader() {
        ProxyIdentity id = new ProxyIdentity("tito", "t0ken");
        assertThat(ProxyIdentity.fromHeaderValue(id.toHeaderValue())).contains(id);
    }

    @Test
    void tokenIsOptional() {
        // "dGl0bw==" is base64("tito"): no colon, no token.
        assertThat(ProxyIdentity.fromHeaderValue("Basic dGl0bw==")).contains(new ProxyIdentity("tito", ""));
    }

    @Test
    void ignoresOtherSchemesAndGarbage() {
        assertThat(ProxyIdentity.fromHeaderValue("Bearer abc")).isEmpty();
        assertThat(ProxyIdentity.fromHeaderValue("Basic !!!")).isEmpty();
        assertThat(ProxyIdentity.fromHeaderValue(null)).isEmpty();
    }

    @Test
    void sanitizesAppNamesForLogsAndHtml() {
        assertThat(ProxyIdentity.sanitizeApp("<script>x</script>")).isEqualTo("_script_x__script_");
        assertThat(ProxyIdentity.sanitizeApp("")).isEqualTo("unknown");
        assertThat(ProxyIdentity.sanitizeApp("a".repeat(200))).hasSize(64);
    }

    @Test
    void toStringOmitsTheToken() {
        assertThat(new ProxyIdentity("tito", "s3cret").toString()).doesNotContain("s3cret");
    }
}
