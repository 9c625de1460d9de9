package io.credproxy.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProxyForcingTest {
    private static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 18080);

    @BeforeEach
    void install() {
        AgentContext.install(new EgressPolicy(DaemonAddress.literal("127.0.0.1", 18080), DaemonAddress.literal("127.0.0.1", 18081),
                List.of(DirectRule.parse("localhost"), DirectRule.parse("127.0.0.0/8")), EgressPolicy.SocketMode.TUNNEL,
                "tito", "Basic dGl0bzo="), AgentEvents.NONE);
    }

    @AfterEach
    void uninstall() {
        AgentContext.install(null, null);
    }

    @Test
    void identityOnlyOnRequestsAddressedToAProxy() {
        assertThat(ProxyForcing.identityForRequestLine("CONNECT api.example:443 HTTP/1.1")).isEqualTo("Basic dGl0bzo=");
        assertThat(ProxyForcing.identityForRequestLine("GET http://api.example/x HTTP/1.1")).isEqualTo("Basic dGl0bzo=");
        assertThat(ProxyForcing.identityForRequestLine("GET /x?u=http://y HTTP/1.1")).isNull();
        assertThat(ProxyForcing.identityLineFor(new StringBuilder("CONNECT a:1 HTTP/1.1\r\n")))
                .isEqualTo("Proxy-Authorization: Basic dGl0bzo=\r\n");
    }

    @Test
    void urlConnectionsGoToTheDaemonUnlessExempt() throws Exception {
        assertThat(ProxyForcing.proxyForUrl(new URL("https://api.example/x"), Proxy.NO_PROXY).address()).isEqualTo(PROXY);
        assertThat(ProxyForcing.proxyForUrl(new URL("http://localhost:8080/x"), Proxy.NO_PROXY)).isEqualTo(Proxy.NO_PROXY);
        assertThat(ProxyForcing.proxyForUrl(new URL("http://127.0.0.1:8080/x"), null)).isNull();
    }

    @Test
    void theForcedSelectorAnswersTheDaemonForEverythingNotExempt() {
        java.net.ProxySelector selector = ForcedProxySelector.wrap(null);
        assertThat(selector.select(URI.create("https://api.example/"))).extracting(Proxy::address).containsExactly(PROXY);
        assertThat(selector.select(URI.create("http://localhost/"))).containsExactly(Proxy.NO_PROXY);
        assertThat(selector.select(URI.create("socket://api.example:25"))).containsExactly(Proxy.NO_PROXY);
        assertThat(ForcedProxySelector.wrap(selector)).isSameAs(selector);
    }

    @Test
    void theDaemonsOwnAddressesAreAlwaysExempt() {
        EgressPolicy policy = AgentContext.policy();
        assertThat(policy.isExempt(new InetSocketAddress("127.0.0.1", 18080))).isTrue();
        assertThat(policy.isExempt(InetSocketAddress.createUnresolved("api.example", 443))).isFalse();
    }
}
