package io.credproxy.daemon.pipeline;

import static io.credproxy.daemon.pipeline.Exchanges.CF_TOKEN;
import static io.credproxy.daemon.pipeline.Exchanges.intercepted;
import static io.credproxy.daemon.pipeline.Exchanges.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.Decision;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ResponseHeaderRedactionStageTest {
    private final ResponseHeaderRedactionStage stage = new ResponseHeaderRedactionStage();

    private static HttpResponse echoing() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().add("X-Echo", "Bearer " + CF_TOKEN);
        response.headers().add("X-Echo", "fine");
        response.headers().add("X-Encoded", URLEncoder.encode(CF_TOKEN, StandardCharsets.UTF_8) + " and "
                + Base64.getEncoder().encodeToString(CF_TOKEN.getBytes(StandardCharsets.UTF_8)));
        response.headers().add("Content-Type", "text/plain");
        return response;
    }

    @Test
    void everyCopyOfAnEchoedValueIsRedactedOnAnExchangeThatCarriedACredential() {
        Exchange ex = intercepted("api.cloudflare.com:443", null, request("GET", "/", "Host", "api.cloudflare.com"));
        ex.decision(Decision.INJECTED);
        HttpResponse response = echoing();

        stage.onResponseHead(ex, response);

        assertThat(response.headers().getAll("X-Echo")).containsExactly("Bearer [redacted:CF]", "fine");
        assertThat(response.headers().get("X-Encoded")).isEqualTo("[redacted:CF] and [redacted:CF]");
        assertThat(response.headers().get("Content-Type")).isEqualTo("text/plain");
    }

    @Test
    void anExchangeWithoutACredentialIsLeftAlone() {
        Exchange ex = intercepted("api.cloudflare.com:443", null, request("GET", "/", "Host", "api.cloudflare.com"));
        HttpResponse response = echoing();

        stage.onResponseHead(ex, response);

        assertThat(response.headers().getAll("X-Echo")).containsExactly("Bearer " + CF_TOKEN, "fine");
    }

    @Test
    void trailersAreRedactedLikeHeadersAndBodiesPassUntouched() {
        Exchange ex = intercepted("api.cloudflare.com:443", null, request("GET", "/", "Host", "api.cloudflare.com"));
        ex.decision(Decision.INJECTED);
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.copiedBuffer("body " + CF_TOKEN, StandardCharsets.UTF_8));
        last.trailingHeaders().add("grpc-message", "bad token " + CF_TOKEN).add("grpc-status", "16");

        HttpContent out = stage.onResponseContent(ex, last);

        assertThat(out).isSameAs(last);
        assertThat(last.trailingHeaders().get("grpc-message")).isEqualTo("bad token [redacted:CF]");
        assertThat(last.trailingHeaders().get("grpc-status")).isEqualTo("16");
        assertThat(last.content().toString(StandardCharsets.UTF_8)).isEqualTo("body " + CF_TOKEN);
        last.release();
    }
}
