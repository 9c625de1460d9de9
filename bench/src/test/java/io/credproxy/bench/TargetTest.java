package io.credproxy.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetTest {
    @Test
    void parsesAProxiedTarget() {
        Target t = Target.parse("name=credproxy,proxy=127.0.0.1:18080,pid=42,ca=/tmp/ca.pem");
        assertThat(t.name()).isEqualTo("credproxy");
        assertThat(t.proxied()).isTrue();
        assertThat(t.proxy().getPort()).isEqualTo(18080);
        assertThat(t.watchedPid()).contains(42L);
        assertThat(t.trustedCa()).hasToString("/tmp/ca.pem");
    }

    @Test
    void parsesADirectTarget() {
        Target t = Target.parse("name=direct,ca=/tmp/up.pem");
        assertThat(t.proxied()).isFalse();
        assertThat(t.watchedPid()).isEmpty();
    }

    @Test
    void aTargetSpeaksHttp2UnlessToldOtherwise() {
        assertThat(Target.parse("name=credproxy,proxy=127.0.0.1:1,ca=/x").http2()).isTrue();
        Target squid = Target.parse("name=squid,proxy=127.0.0.1:1,ca=/x,http2=false");
        assertThat(squid.http2()).isFalse();
        assertThatThrownBy(() -> Target.parse("name=squid,ca=/x,http2=no")).hasMessageContaining("http2=");
    }

    @Test
    void refusesSpecsWithoutNameOrCa() {
        assertThatThrownBy(() -> Target.parse("name=x")).hasMessageContaining("ca=");
        assertThatThrownBy(() -> Target.parse("ca=/x")).hasMessageContaining("name=");
        assertThatThrownBy(() -> Target.parse("name=x,ca=/y,proxy=nohost")).hasMessageContaining("host:port");
    }
}
