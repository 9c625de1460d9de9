package io.credproxy.protocol.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
    @Test
    void parsesNamesAndNormalizesCase() {
        assertThat(HostPort.parse("API.Cloudflare.com.:443")).isEqualTo(new HostPort("api.cloudflare.com", 443));
    }

    @Test
    void parsesBracketedIpv6() {
        HostPort hp = HostPort.parse("[::1]:8443");
        assertThat(hp.host()).isEqualTo("::1");
        assertThat(hp).hasToString("[::1]:8443");
    }

    @Test
    void usesDefaultPortOnlyWhenGiven() {
        assertThat(HostPort.parse("example.com", 443).port()).isEqualTo(443);
        assertThatThrownBy(() -> HostPort.parse("example.com")).hasMessageContaining("missing port");
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> HostPort.parse("host:http")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> HostPort.parse("host:70000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> HostPort.parse("::1:80")).hasMessageContaining("[addr]:port");
        assertThatThrownBy(() -> HostPort.parse(":80")).hasMessageContaining("empty host");
    }
}
