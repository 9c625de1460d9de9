package io.credproxy.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class ResponseFramingTest {
    private static HttpResponse response(String... headers) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.OK);
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    @Test
    void aCloseDelimitedBodyIsChunkedForAnHttp11ClientAndTheUpstreamNotReused() {
        HttpResponse r = response();

        ResponseFraming f = ResponseFraming.apply(r, true, false, false, true, false);

        assertThat(f).isEqualTo(new ResponseFraming(false, false));
        assertThat(r.headers().get("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(r.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
    }

    @Test
    void anHttp10ClientGetsTheBodyUnchunkedAndTheConnectionClosed() {
        HttpResponse r = response("Transfer-Encoding", "chunked");

        ResponseFraming f = ResponseFraming.apply(r, true, false, true, true, false);

        assertThat(f.closeClient()).isTrue();
        assertThat(f.upstreamReusable()).isTrue();
        assertThat(r.headers().contains("Transfer-Encoding")).isFalse();
        assertThat(r.headers().get("Connection")).isEqualTo("close");
    }

    @Test
    void anHttp10KeepAliveClientIsToldTheConnectionStaysOpen() {
        HttpResponse r = response("Content-Length", "3");

        assertThat(ResponseFraming.apply(r, true, false, true, true, false)).isEqualTo(new ResponseFraming(false, true));
        assertThat(r.headers().get("Connection")).isEqualTo("keep-alive");
    }

    @Test
    void bodylessResponsesAreNotReframedAndAClosingClientIsToldSo() {
        HttpResponse r = response();

        assertThat(ResponseFraming.apply(r, false, true, false, false, false)).isEqualTo(new ResponseFraming(true, false));
        assertThat(r.headers().contains("Transfer-Encoding")).isFalse();
        assertThat(r.headers().get("Connection")).isEqualTo("close");
    }
}
