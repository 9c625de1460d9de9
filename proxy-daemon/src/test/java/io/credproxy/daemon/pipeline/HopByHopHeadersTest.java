package io.credproxy.daemon.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {
    @Test
    void connectionScopedHeadersAndTheAgentsIdentityAreRemoved() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, X-Secret-Hop")
                .add("connection", "Upgrade")
                .add("X-Secret-Hop", "1")
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "keep-alive")
                .add("Proxy-Authorization", "Basic dGl0bzo=")
                .add("TE", "trailers")
                .add("Trailer", "X")
                .add("Upgrade", "h2c")
                .add("Transfer-Encoding", "chunked")
                .add("Authorization", "Bearer x")
                .add("Host", "example.com");

        HopByHopHeaders.strip(h);

        assertThat(h.names()).containsExactlyInAnyOrder("Transfer-Encoding", "Authorization", "Host");
    }

    @Test
    void framingHeadersAndHostCannotBeDeclaredHopByHop() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("Connection", "Host, Content-Length, Transfer-Encoding")
                .add("Host", "example.com")
                .add("Content-Length", "3");

        HopByHopHeaders.strip(h);

        assertThat(h.get("Host")).isEqualTo("example.com");
        assertThat(h.get("Content-Length")).isEqualTo("3");
    }
}
