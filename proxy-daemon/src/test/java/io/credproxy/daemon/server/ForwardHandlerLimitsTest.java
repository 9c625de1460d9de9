package io.credproxy.daemon.server;

import static io.credproxy.daemon.server.ForwardHandlerTest.received;
import static io.credproxy.daemon.server.ForwardHandlerTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.daemon.metrics.ProxyMetrics;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ForwardHandler} where availability meets the exchange: a body the codec cannot decode
 * (the upstream never gets the request's end), and the drain of a graceful stop.
 */
class ForwardHandlerLimitsTest {
    private final List<AuditEvent> events = new ArrayList<>();
    private FakeUpstreams upstreams;
    private ProxyContext proxy;
    private ProxyMetrics stats;

    @BeforeEach
    void setUp() throws Exception {
        upstreams = new FakeUpstreams();
        stats = new ProxyMetrics();
        proxy = ForwardHandlerTest.context(upstreams, events, stats);
    }

    private EmbeddedChannel client() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(ProxyInitializer.CODEC, HttpCodecs.server())
                .addLast(ProxyInitializer.FORWARD, new ForwardHandler(proxy, ClientConnection.plain("127.0.0.1:9"), null));
        return ch;
    }

    /** Everything the upstream was sent, in order. */
    private static List<Object> sentUpstream(EmbeddedChannel upstream) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = upstream.readOutbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    @Test
    void aMalformedChunkAnswers400AndTheUpstreamNeverGetsTheRequestsEnd() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();

        send(client, "POST http://api.example.com/up HTTP/1.1\r\nHost: api.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n");
        send(client, "ZZ\r\nworld\r\n0\r\n\r\nGET http://api.example.com/next HTTP/1.1\r\nHost: api.example.com\r\n\r\n");

        List<Object> sent = sentUpstream(upstream);
        assertThat(sent.get(0)).isInstanceOf(HttpRequest.class);
        assertThat(sent).hasSize(2).noneMatch(o -> o instanceof LastHttpContent);
        assertThat(((HttpContent) sent.get(1)).content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        sent.forEach(io.netty.util.ReferenceCountUtil::release);
        assertThat(upstream.isOpen()).as("the upstream connection closes without the request's end").isFalse();
        assertThat(upstreams.released).isEmpty();
        assertThat(received(client)).startsWith("HTTP/1.1 400 Bad Request").contains("connection: close")
                .endsWith("credproxy: malformed request body\n");
        assertThat(client.isOpen()).isFalse();
        assertThat(upstreams.keys).as("nothing after the bad body was taken as a request").hasSize(1);
        assertThat(stats.errors(ProxyError.BAD_REQUEST)).isEqualTo(1);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.decision()).isEqualTo(Decision.ERROR);
            assertThat(e.reason()).isEqualTo("malformed request body");
        });
    }

    @Test
    void aMalformedChunkAfterTheResponseStartedCutsBothSides() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, "POST http://api.example.com/up HTTP/1.1\r\nHost: api.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n");
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("Transfer-Encoding", "chunked");
        upstream.writeInbound(head, new DefaultHttpContent(Unpooled.copiedBuffer("early", StandardCharsets.US_ASCII)));

        send(client, "-1\r\n");

        assertThat(upstream.isOpen()).isFalse();
        assertThat(client.isOpen()).isFalse();
        assertThat(received(client)).startsWith("HTTP/1.1 200 OK").doesNotContain("400");
        sentUpstream(upstream).forEach(io.netty.util.ReferenceCountUtil::release);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("malformed request body; connection closed"));
    }

    @Test
    void drainClosesAnIdleConnectionAtOnceAndABusyOneAfterItsExchangeSayingSo() {
        EmbeddedChannel idle = client();
        idle.pipeline().fireUserEventTriggered(ProxyServer.Drain.INSTANCE);
        assertThat(idle.isOpen()).isFalse();

        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel busy = client();
        send(busy, "GET http://api.example.com/slow HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
        busy.pipeline().fireUserEventTriggered(ProxyServer.Drain.INSTANCE);
        assertThat(busy.isOpen()).as("the exchange under way finishes first").isTrue();

        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("Content-Length", 2);
        upstream.writeInbound(head, new DefaultLastHttpContent(Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII)));

        // The exchange carried a secret, so the body comes re-framed by the response redaction (chunked).
        assertThat(received(busy)).startsWith("HTTP/1.1 200 OK").contains("connection: close").contains("\r\n\r\n2\r\nok\r\n");
        assertThat(busy.isOpen()).isFalse();
        sentUpstream(upstream).forEach(io.netty.util.ReferenceCountUtil::release);
    }
}
