package io.credproxy.daemon.pipeline;

import static io.credproxy.daemon.pipeline.Exchanges.CF_TOKEN;
import static io.credproxy.daemon.pipeline.Exchanges.intercepted;
import static io.credproxy.daemon.pipeline.Exchanges.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The redaction stage on fake exchanges; the body and its framing are tested through the relay (ResponseRedactionRelayTest). */
class ResponseRedactionStageTest {
    private final ResponseRedactionStage stage = new ResponseRedactionStage();

    private static Exchange injected() {
        Exchange ex = intercepted("api.cloudflare.com:443", null, request("GET", "/", "Host", "api.cloudflare.com"));
        assertThat(new PolicyStage().onRequest(ex).proceeds()).isTrue();
        assertThat(new InjectionStage().onRequest(ex).proceeds()).isTrue();
        return ex;
    }

    private static HttpResponse echoing(HttpResponseStatus status) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().add("X-Echo", "Bearer " + CF_TOKEN);
        response.headers().add("X-Echo", "fine");
        response.headers().add("X-Encoded", URLEncoder.encode(CF_TOKEN, StandardCharsets.UTF_8) + " and "
                + Base64.getEncoder().encodeToString(CF_TOKEN.getBytes(StandardCharsets.UTF_8)));
        response.headers().add("Content-Type", "text/plain");
        response.headers().add("Content-Length", "0");
        return response;
    }

    @Test
    void everyCopyOfAnEchoedValueIsRedactedOnAnExchangeThatCarriedACredentialInformationalOnesToo() {
        for (HttpResponseStatus status : List.of(HttpResponseStatus.EARLY_HINTS, HttpResponseStatus.NO_CONTENT)) {
            HttpResponse response = echoing(status);

            stage.onResponseHead(injected(), response);

            assertThat(response.headers().getAll("X-Echo")).containsExactly("Bearer [REDACTED]", "fine");
            // Base64 keeps at most its last character or two, which carry bits that are not the secret's alone.
            assertThat(response.headers().get("X-Encoded")).matches("\\[REDACTED] and \\[REDACTED][A-Za-z0-9+/]?=*");
            assertThat(response.headers().get("Content-Type")).isEqualTo("text/plain");
        }
    }

    @Test
    void anExchangeWithoutACredentialIsLeftAlone() {
        Exchange ex = intercepted("other.test:443", null, request("GET", "/", "Host", "other.test", "Range", "bytes=1-"));
        HttpResponse response = echoing(HttpResponseStatus.OK);

        stage.onRequest(ex);
        stage.onResponseHead(ex, response);

        assertThat(ex.request().headers().get("Range")).isEqualTo("bytes=1-");
        assertThat(response.headers().getAll("X-Echo")).containsExactly("Bearer " + CF_TOKEN, "fine");
        assertThat(response.headers().get("Content-Length")).isEqualTo("0");
    }

    @Test
    void acceptEncodingKeepsOnlyWhatTheRedactorDecodes() {
        assertThat(ResponseRedactionStage.decodableOnly(List.of("gzip, deflate, br, zstd"))).isEqualTo("gzip, deflate");
        assertThat(ResponseRedactionStage.decodableOnly(List.of("br", "GZIP;q=0.5", "x-gzip"))).isEqualTo("GZIP;q=0.5, x-gzip");
        assertThat(ResponseRedactionStage.decodableOnly(List.of("*"))).isEqualTo("identity");
        assertThat(ResponseRedactionStage.decodableOnly(List.of("br;q=1, compress"))).isEqualTo("identity");
        assertThat(ResponseRedactionStage.decodableOnly(List.of())).as("none sent: any coding would do").isEqualTo("identity");
    }
}
