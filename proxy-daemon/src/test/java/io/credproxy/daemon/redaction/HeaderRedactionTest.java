package io.credproxy.daemon.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.testing.Canaries;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderRedactionTest {
    private final String token = Canaries.value("api_token");
    private final RedactionPatterns patterns = RedactionPatterns.of(List.of(token, "pässwörd-ü"));

    @Test
    void redactsValuesInEveryFormKeepsOrderAndDropsFieldsNamedAfterASecret() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(401, "bad token " + token));
        response.headers().add("X-First", "1");
        response.headers().add("WWW-Authenticate", "Bearer error=\"invalid_token\", token=\"" + token + "\"");
        response.headers().add("Location", "https://x.example/cb?t=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        response.headers().add("X-Echo", "Basic " + Base64.getEncoder().encodeToString(("u:" + token).getBytes(StandardCharsets.UTF_8)));
        response.headers().add("X-" + token, "value");
        response.headers().add("X-Utf8", new String("pässwörd-ü".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        response.headers().add("X-Last", "2");

        HeaderRedaction.redactHead(response, patterns);

        assertThat(response.status().code()).isEqualTo(401);
        assertThat(response.status().reasonPhrase()).isEqualTo("bad token [REDACTED]");
        assertThat(response.headers().names()).containsExactly("X-First", "WWW-Authenticate", "Location", "X-Echo", "X-Utf8", "X-Last");
        assertThat(response.headers().toString()).doesNotContain(token);
        assertThat(response.headers().get("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\", token=\"[REDACTED]\"");
        assertThat(response.headers().get("X-Utf8")).isEqualTo("[REDACTED]");
        assertThat(response.headers().get("X-Echo")).startsWith("Basic ").contains("[REDACTED]");
    }

    @Test
    void leavesCleanHeadsUntouched() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().add("A", "1").add("A", "2").add("B", "3");
        HttpResponseStatus before = response.status();
        HeaderRedaction.redactHead(response, patterns);
        assertThat(response.status()).isSameAs(before);
        assertThat(response.headers().getAll("A")).containsExactly("1", "2");
        assertThat(HeaderRedaction.redact(response.headers(), RedactionPatterns.none())).isZero();
    }

    @Test
    void redactsChunkedTrailers() {
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        last.trailingHeaders().add("X-Checksum", "abc").add("X-Debug-Token", token).add("Grpc-Message", "bad " + token.toUpperCase());
        HeaderRedaction.redactTrailers(last, patterns);
        assertThat(last.trailingHeaders().get("X-Checksum")).isEqualTo("abc");
        assertThat(last.trailingHeaders().get("X-Debug-Token")).isEqualTo("[REDACTED]");
        assertThat(last.trailingHeaders().get("Grpc-Message")).isEqualTo("bad [REDACTED]");
        last.release();
    }
}
