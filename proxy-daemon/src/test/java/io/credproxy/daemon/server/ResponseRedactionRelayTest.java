package io.credproxy.daemon.server;

import static io.credproxy.daemon.server.ForwardHandlerTest.received;
import static io.credproxy.daemon.server.ForwardHandlerTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.AuditRecorder;
import io.credproxy.daemon.pipeline.Chains;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.policy.PolicyHolder;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.rules.SecretTemplate;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Response redaction as the relay runs it, on embedded channels: what a client of an exchange that
 * carried a secret receives when the upstream echoes it, byte for byte, framing included.
 */
class ResponseRedactionRelayTest {
    static final String TOKEN = "tok-3b1f0c9e2d7a4b86";
    private static final String REQUEST = "GET http://api.example.com/echo HTTP/1.1\r\nHost: api.example.com\r\n\r\n";

    private final List<AuditEvent> events = new ArrayList<>();
    private FakeUpstreams upstreams;
    private ProxyContext proxy;

    @BeforeEach
    void setUp() throws Exception {
        Policy policy = Policy.resolve(List.of(
                        new Rule("api.example.com", null, Map.of("Authorization", SecretTemplate.parse("Bearer ${T}")), Map.of(), true)),
                new Secrets("test", Map.of("T", TOKEN)));
        upstreams = new FakeUpstreams();
        proxy = new ProxyContext(new PolicyHolder(policy), null, upstreams,
                Chains.standard(new AuditRecorder(events::add)), 1000, 1000, new ProxyMetrics());
    }

    private EmbeddedChannel client() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(ProxyInitializer.CODEC, HttpCodecs.server())
                .addLast(ProxyInitializer.FORWARD, new ForwardHandler(proxy, ClientConnection.plain("127.0.0.1:9"), null));
        return ch;
    }

    private static HttpResponse head(int status, String... headers) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        for (int i = 0; i < headers.length; i += 2) {
            head.headers().add(headers[i], headers[i + 1]);
        }
        return head;
    }

    private static HttpContent piece(byte[] bytes, int from, int to) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(bytes, from, to - from));
    }

    /** The body split into pieces of {@code size} bytes, the last one carrying {@code trailers}. */
    private static List<HttpContent> pieces(byte[] body, int size, String... trailers) {
        List<HttpContent> out = new ArrayList<>();
        for (int i = 0; i < body.length; i += size) {
            out.add(piece(body, i, Math.min(body.length, i + size)));
        }
        LastHttpContent last = new DefaultLastHttpContent();
        for (int i = 0; i < trailers.length; i += 2) {
            last.trailingHeaders().add(trailers[i], trailers[i + 1]);
        }
        out.add(last);
        return out;
    }

    private static String echoes() {
        String b64 = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.US_ASCII));
        return "raw " + TOKEN + "\nbearer Bearer " + TOKEN + "\nbase64 " + b64 + "\nbase64url " + b64.replace("=", "")
                + "\npercent " + percentEveryByte(TOKEN, false) + "\nPERCENT " + percentEveryByte(TOKEN, true)
                + "\njson {\"auth\":\"Bearer " + TOKEN + "\"}\nend\n";
    }

    private static String percentEveryByte(String s, boolean upper) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.US_ASCII)) {
            String hex = String.format("%02x", b & 0xff);
            out.append('%').append(upper ? hex.toUpperCase() : hex);
        }
        return out.toString();
    }

    private static void assertNoTrace(String received) {
        assertThat(received).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(4, 16))
                .doesNotContain(Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.US_ASCII)).substring(2, 20))
                .doesNotContain(percentEveryByte(TOKEN, false).substring(0, 30)).doesNotContain(percentEveryByte(TOKEN, true).substring(0, 30));
    }

    @Test
    void anEchoInTheHeadTheBodyAcrossPiecesAndTheTrailersNeverReachesTheClient() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, REQUEST);
        byte[] body = echoes().getBytes(StandardCharsets.US_ASCII);

        upstream.writeInbound(head(200, "Content-Length", String.valueOf(body.length), "X-Echo", "Bearer " + TOKEN,
                "Content-MD5", "abc", "Digest", "sha-256=x", "Content-Digest", "sha-256=:x:"));
        for (HttpContent c : pieces(body, 3, "X-Echo-Trailer", TOKEN, "Content-Digest", "sha-256=:y:")) {
            upstream.writeInbound(c);
        }

        String out = received(client);
        assertNoTrace(out);
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").contains("transfer-encoding: chunked").doesNotContainIgnoringCase("content-length")
                .doesNotContainIgnoringCase("digest").doesNotContainIgnoringCase("content-md5")
                .contains("X-Echo: Bearer [REDACTED]").contains("X-Echo-Trailer: [REDACTED]").endsWith("\r\n\r\n");
        assertThat(ChunkedBody.of(out)).startsWith("raw [REDACTED]\nbearer Bearer [REDACTED]\nbase64 [REDACTED]").endsWith("end\n");
        assertThat(upstreams.released).as("the upstream connection stays reusable").containsExactly(upstream);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.decision()).isEqualTo(Decision.INJECTED));
    }

    @Test
    void anHttp10ClientGetsTheRedactedBodyCloseDelimited() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, "GET http://api.example.com/echo HTTP/1.0\r\nHost: api.example.com\r\n\r\n");
        byte[] body = echoes().getBytes(StandardCharsets.US_ASCII);

        upstream.writeInbound(head(200, "Content-Length", String.valueOf(body.length)));
        pieces(body, 5).forEach(upstream::writeInbound);

        String out = received(client);
        assertNoTrace(out);
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("connection: close")
                .doesNotContainIgnoringCase("transfer-encoding").doesNotContainIgnoringCase("content-length");
        assertThat(out.substring(out.indexOf("\r\n\r\n") + 4)).startsWith("raw [REDACTED]\n").endsWith("end\n");
        assertThat(client.isOpen()).as("the end of the body is the close").isFalse();
    }

    @Test
    void aGzipBodyIsDecodedRedactedAndEncodedAgain() throws IOException {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, REQUEST);
        byte[] gz = gzip(echoes().repeat(50));

        upstream.writeInbound(head(200, "Content-Length", String.valueOf(gz.length), "Content-Encoding", "gzip"));
        pieces(gz, 7).forEach(upstream::writeInbound);

        String out = received(client);
        assertThat(out).contains("Content-Encoding: gzip");
        String decoded = gunzip(ChunkedBody.of(out).getBytes(StandardCharsets.ISO_8859_1));
        assertNoTrace(decoded);
        assertThat(decoded).startsWith("raw [REDACTED]\n").endsWith("end\n");
    }

    @Test
    void aCodingTheRedactorCannotDecodeIsRefusedWith502AndNothingOfTheResponse() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, REQUEST);

        upstream.writeInbound(head(200, "Content-Encoding", "br", "X-Upstream", "leak", "Transfer-Encoding", "chunked"));

        String out = received(client);
        assertThat(out).startsWith("HTTP/1.1 502").contains("Proxy-Status: credproxy; error=http_response_content_coding")
                .contains("content coding cannot be redacted: br").doesNotContain("X-Upstream").doesNotContain(TOKEN);
        assertThat(upstream.isOpen()).isFalse();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.decision()).isEqualTo(Decision.ERROR);
        });
    }

    @Test
    void aTransferCodingBesidesChunkedIsRefusedToo() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, REQUEST);

        upstream.writeInbound(head(200, "Transfer-Encoding", "gzip, chunked"));

        assertThat(received(client)).startsWith("HTTP/1.1 502").contains("error=http_response_transfer_coding");
    }

    @Test
    void aBodyThatStopsDecodingCutsTheClientOffWithoutTheLastChunk() throws IOException {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, REQUEST);
        byte[] corrupt = gzip(echoes().repeat(20));
        corrupt[corrupt.length / 2] ^= 0x5a;
        corrupt[corrupt.length / 2 + 1] ^= 0x5a;

        upstream.writeInbound(head(200, "Transfer-Encoding", "chunked", "Content-Encoding", "gzip"));
        for (HttpContent c : pieces(corrupt, 16)) {
            if (upstream.isOpen()) {
                upstream.writeInbound(c);
            } else {
                c.release(); // the daemon closed the upstream at the first piece that did not decode
            }
        }
        client.runPendingTasks();

        String out = received(client);
        assertThat(out).startsWith("HTTP/1.1 200").doesNotContain(TOKEN).doesNotEndWith("0\r\n\r\n");
        assertThat(client.isOpen()).isFalse();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.reason()).contains("could not be decoded"));
    }

    @Test
    void theRequestAsksForWholeBodiesInCodingsTheRedactorDecodes() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();

        send(client, "GET http://api.example.com/f HTTP/1.1\r\nHost: api.example.com\r\nRange: bytes=5-\r\nIf-Range: \"x\"\r\n"
                + "Accept-Encoding: br;q=1.0, gzip;q=0.8, zstd, deflate, *\r\n\r\n");

        HttpRequest forwarded = upstream.readOutbound();
        assertThat(forwarded.headers().contains("Range")).isFalse();
        assertThat(forwarded.headers().contains("If-Range")).isFalse();
        assertThat(forwarded.headers().get("Accept-Encoding")).isEqualTo("gzip;q=0.8, deflate");
    }

    @Test
    void anExchangeWithoutASecretIsRelayedUntouched() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, "GET http://other.test/f HTTP/1.1\r\nHost: other.test\r\nRange: bytes=5-\r\nAccept-Encoding: br\r\n\r\n");
        HttpRequest forwarded = upstream.readOutbound();
        assertThat(forwarded.headers().get("Range")).isEqualTo("bytes=5-");
        assertThat(forwarded.headers().get("Accept-Encoding")).isEqualTo("br");

        upstream.writeInbound(head(200, "Content-Length", "4", "Content-Encoding", "br", "X-Echo", TOKEN),
                new DefaultLastHttpContent(Unpooled.copiedBuffer("abcd", StandardCharsets.US_ASCII)));

        assertThat(received(client)).contains("Content-Length: 4").contains("X-Echo: " + TOKEN).endsWith("\r\n\r\nabcd");
    }

    @Test
    void headAnd204And304KeepTheirHeadAndHaveNoBody() {
        for (String method : List.of("HEAD", "GET")) {
            EmbeddedChannel upstream = FakeUpstreams.upstream();
            upstreams.then(upstream);
            EmbeddedChannel client = client();
            send(client, method + " http://api.example.com/f HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
            int status = method.equals("HEAD") ? 200 : 304;

            upstream.writeInbound(head(status, "Content-Length", "1234", "Content-Encoding", "br", "ETag", "\"" + TOKEN + "\""),
                    LastHttpContent.EMPTY_LAST_CONTENT);

            String out = received(client);
            assertThat(out).startsWith("HTTP/1.1 " + status).contains("Content-Length: 1234").contains("ETag: \"[REDACTED]\"")
                    .doesNotContainIgnoringCase("transfer-encoding").endsWith("\r\n\r\n");
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void anEmptyBodyKeepsItsContentLength() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, REQUEST);

        upstream.writeInbound(head(200, "Content-Length", "0", "X-Echo", TOKEN), LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(received(client)).contains("Content-Length: 0").contains("X-Echo: [REDACTED]")
                .doesNotContainIgnoringCase("transfer-encoding").endsWith("\r\n\r\n");
        assertThat(upstreams.released).containsExactly(upstream);
    }

    @Test
    void anUpstreamCutOffMidBodyNeverFlushesWhatTheRedactorHeld() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, REQUEST);

        upstream.writeInbound(head(200, "Transfer-Encoding", "chunked"));
        upstream.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer("partial " + TOKEN.substring(0, 10), StandardCharsets.US_ASCII)));
        upstream.close();
        client.runPendingTasks();

        String out = received(client);
        assertThat(out).contains("partial ").doesNotContain(TOKEN.substring(0, 10)).doesNotEndWith("0\r\n\r\n");
        assertThat(client.isOpen()).isFalse();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
