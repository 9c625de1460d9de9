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

        assertThat(h.names()).containsExactlyInAnyOrder("Transfer-Encoding", "Authorization", "Host", "te");
        assertThat(h.getAll("TE")).containsExactly("trailers");
    }

    @Test
    void teKeepsOnlyTrailersTheOneValueHttp2Allows() {
        HttpHeaders offered = new DefaultHttpHeaders().add("TE", "gzip;q=0.5, Trailers").add("te", "deflate");
        HttpHeaders without = new DefaultHttpHeaders().add("TE", "gzip, deflate").add("Connection", "TE");

        HopByHopHeaders.strip(offered);
        HopByHopHeaders.strip(without);

        assertThat(offered.getAll("te")).containsExactly("trailers");
        assertThat(without.contains("te")).isFalse();
    }

    @Test
    void nettysHttp2ConversionHeadersNeverComeFromAPeer() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("x-http2-scheme", "http")
                .add("X-HTTP2-Path", "/admin")
                .add("x-http2-stream-id", "7")
                .add("x-http2-extra", "1")
                .add("x-http2", "kept: not Netty's prefix")
                .add("Authorization", "Bearer x");

        HopByHopHeaders.strip(h);

        assertThat(h.names()).containsExactlyInAnyOrder("x-http2", "Authorization");
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
