package io.credproxy.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.AuditRecorder;
import io.credproxy.daemon.pipeline.Chains;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.policy.PolicyHolder;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.rules.SecretTemplate;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.wire.ProxyIdentity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ForwardHandler} and {@link ForwardedExchange} on embedded channels: no sockets, no TLS. */
class ForwardHandlerTest {
    static final String TOKEN = "secret-token-value-42";
    static final int TIMEOUT_MS = 1000;

    private final List<AuditEvent> events = new ArrayList<>();
    private FakeUpstreams upstreams;
    private ProxyContext proxy;
    private ProxyMetrics stats;
    /** Client channels a test made; their unread output (encoded responses) is released after it. */
    private final List<EmbeddedChannel> clients = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        upstreams = new FakeUpstreams();
        stats = new ProxyMetrics();
        proxy = context(upstreams, events, stats);
    }

    @AfterEach
    void releaseWhatTheTestDidNotRead() {
        clients.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** A rule for api.example.com (plaintext allowed), the standard chain recording into {@code events}. */
    static ProxyContext context(FakeUpstreams upstreams, List<AuditEvent> events, ProxyMetrics stats) throws Exception {
        Policy policy = Policy.resolve(List.of(
                        new Rule("api.example.com", null, Map.of("Authorization", SecretTemplate.parse("Bearer ${T}")), Map.of(), true)),
                new Secrets("test", Map.of("T", TOKEN)));
        return new ProxyContext(new PolicyHolder(policy), null, upstreams, Chains.standard(new AuditRecorder(events::add)),
                TIMEOUT_MS, 1000, stats);
    }

    private EmbeddedChannel client() {
        return client(ClientConnection.plain("127.0.0.1:9"));
    }

    private EmbeddedChannel client(ClientConnection connection) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(ProxyInitializer.CODEC, HttpCodecs.server()).addLast(ProxyInitializer.FORWARD, new ForwardHandler(proxy, connection, null));
        clients.add(ch);
        return ch;
    }

    static void send(EmbeddedChannel ch, String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    }

    static String received(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }

    private static void respond(EmbeddedChannel upstream, int status, String body) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        head.headers().set("Content-Length", body.length());
        upstream.writeInbound(head, new DefaultLastHttpContent(Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII)));
    }

    @Test
    void aPlainRequestIsForwardedOriginFormWithTheCredentialAndWithoutHopByHopHeaders() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();

        send(client, "GET http://api.example.com/v1/x?q=1 HTTP/1.1\r\nHost: evil.example\r\n"
                + "Authorization: Bearer mine\r\nauthorization: Bearer mine2\r\n"
                + "Proxy-Authorization: " + new ProxyIdentity("tito", "t").toHeaderValue() + "\r\n"
                + "Connection: keep-alive, X-Hop\r\nX-Hop: 1\r\nProxy-Connection: keep-alive\r\n\r\n");

        assertThat(upstreams.keys).containsExactly(new UpstreamKey(false, new HostPort("api.example.com", 80)));
        HttpRequest forwarded = upstream.readOutbound();
        assertThat(forwarded.uri()).isEqualTo("/v1/x?q=1");
        assertThat(forwarded.headers().get("Host")).isEqualTo("api.example.com");
        assertThat(forwarded.headers().getAll("Authorization")).containsExactly("Bearer " + TOKEN);
        assertThat(forwarded.headers().names()).doesNotContain("Proxy-Authorization", "Connection", "X-Hop", "Proxy-Connection");
        Object end = upstream.readOutbound();
        assertThat(end).isInstanceOf(LastHttpContent.class);

        respond(upstream, 200, "hello");

        // A response to a request that carried a credential is redacted: its length may change, so it goes chunked.
        assertThat(received(client)).startsWith("HTTP/1.1 200 OK\r\n").contains("transfer-encoding: chunked")
                .endsWith("\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        assertThat(upstreams.released).containsExactly(upstream);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.app()).isEqualTo("tito");
            assertThat(e.decision()).isEqualTo(Decision.INJECTED);
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.bytesDown()).isEqualTo(5);
            assertThat(e.scheme()).isEqualTo("http");
        });
    }

    @Test
    void requestsInATunnelGoToTheConnectTargetOverTls() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client(ClientConnection.plain("127.0.0.1:9").intercepted(new HostPort("api.example.com", 443), "app1"));

        send(client, "GET /v1 HTTP/1.1\r\nHost: api.example.com\r\n\r\n");

        assertThat(upstreams.keys).containsExactly(new UpstreamKey(true, new HostPort("api.example.com", 443)));
        HttpRequest forwarded = upstream.readOutbound();
        assertThat(forwarded.headers().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        respond(upstream, 204, "");
        assertThat(received(client)).startsWith("HTTP/1.1 204");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.app()).isEqualTo("app1");
            assertThat(e.scheme()).isEqualTo("https");
        });
    }

    @Test
    void pipelinedRequestsAreForwardedOneAfterTheOther() {
        EmbeddedChannel first = FakeUpstreams.upstream();
        EmbeddedChannel second = FakeUpstreams.upstream();
        upstreams.then(first).then(second);
        EmbeddedChannel client = client();

        send(client, "GET http://other.test/1 HTTP/1.1\r\nHost: other.test\r\n\r\n"
                + "GET http://other.test/2 HTTP/1.1\r\nHost: other.test\r\n\r\n");

        assertThat(upstreams.keys).hasSize(1);
        assertThat(((HttpRequest) first.readOutbound()).uri()).isEqualTo("/1");
        respond(first, 200, "one");

        assertThat(upstreams.keys).hasSize(2);
        assertThat(((HttpRequest) second.readOutbound()).uri()).isEqualTo("/2");
        respond(second, 200, "two");
        String out = received(client);
        assertThat(out.indexOf("one")).isLessThan(out.indexOf("two"));
    }

    @Test
    void anUpstreamThatDoesNotAnswerInTimeIs504() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, "GET http://other.test/slow HTTP/1.1\r\nHost: other.test\r\n\r\n");

        client.advanceTimeBy(TIMEOUT_MS + 1, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();

        assertThat(received(client)).startsWith("HTTP/1.1 504").contains("upstream did not answer within " + TIMEOUT_MS + " ms");
        assertThat(upstream.isOpen()).isFalse();
        assertThat(upstreams.released).isEmpty();
        assertThat(stats.errors(ProxyError.TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aRefusedConnectionIs502AndTheConnectionStaysUsable() {
        upstreams.then(new ConnectException("Connection refused")).then(FakeUpstreams.upstream());
        EmbeddedChannel client = client();

        send(client, "GET http://other.test/ HTTP/1.1\r\nHost: other.test\r\n\r\n");

        assertThat(received(client)).startsWith("HTTP/1.1 502").contains("Proxy-Status: credproxy; error=connection_refused")
                .contains("credproxy: upstream other.test:80 refused the connection");
        assertThat(client.isOpen()).isTrue();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.decision()).isEqualTo(Decision.ERROR));
        assertThat(stats.errors(ProxyError.UPSTREAM_CONNECT)).isEqualTo(1);

        EmbeddedChannel next = (EmbeddedChannel) upstreams.next.peek();
        send(client, "GET http://other.test/again HTTP/1.1\r\nHost: other.test\r\n\r\n");
        assertThat(((HttpRequest) next.readOutbound()).uri()).isEqualTo("/again");
        respond(next, 200, "ok");
        assertThat(received(client)).startsWith("HTTP/1.1 200");
    }

    @Test
    void aPooledConnectionClosedByTheServerIsRetriedOnceOnANewOne() {
        EmbeddedChannel stale = FakeUpstreams.upstream();
        EmbeddedChannel fresh = FakeUpstreams.upstream();
        upstreams.pooled.add(stale);
        upstreams.then(stale).then(fresh);
        EmbeddedChannel client = client();
        send(client, "GET http://api.example.com/ HTTP/1.1\r\nHost: api.example.com\r\n\r\n");

        stale.close();

        assertThat(upstreams.pooledAllowed).containsExactly(true, false);
        HttpRequest retried = fresh.readOutbound();
        assertThat(retried.headers().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        Object end = fresh.readOutbound();
        assertThat(end).isInstanceOf(LastHttpContent.class);
        respond(fresh, 200, "ok");
        assertThat(received(client)).startsWith("HTTP/1.1 200");
    }

    @Test
    void aRequestWithABodyIsNotRetried() {
        EmbeddedChannel stale = FakeUpstreams.upstream();
        upstreams.pooled.add(stale);
        upstreams.then(stale);
        EmbeddedChannel client = client();
        send(client, "POST http://other.test/ HTTP/1.1\r\nHost: other.test\r\nContent-Length: 3\r\n\r\nabc");

        stale.close();

        assertThat(upstreams.keys).hasSize(1);
        assertThat(received(client)).startsWith("HTTP/1.1 502").contains("closed the connection before answering");
        assertThat(stats.errors(ProxyError.UPSTREAM_RESPONSE)).isEqualTo(1);
    }

    @Test
    void aCloseDelimitedResponseIsReframedAsChunkedAndTheUpstreamNotReused() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, "GET http://other.test/ HTTP/1.1\r\nHost: other.test\r\n\r\n");

        upstream.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        upstream.writeInbound(new io.netty.handler.codec.http.DefaultHttpContent(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII)));
        upstream.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(received(client)).contains("transfer-encoding: chunked").contains("\r\n3\r\nabc\r\n0\r\n\r\n");
        assertThat(upstreams.released).isEmpty();
        assertThat(upstream.isOpen()).isFalse();
    }

    @Test
    void anHttp10ClientGetsAChunkedBodyUnchunkedAndTheConnectionClosed() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, "GET http://other.test/ HTTP/1.0\r\nHost: other.test\r\nConnection: keep-alive\r\n\r\n");
        HttpRequest forwarded = upstream.readOutbound();
        assertThat(forwarded.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);

        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("Transfer-Encoding", "chunked");
        upstream.writeInbound(head, new io.netty.handler.codec.http.DefaultHttpContent(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII)),
                LastHttpContent.EMPTY_LAST_CONTENT);

        String out = received(client);
        assertThat(out).doesNotContainIgnoringCase("transfer-encoding").contains("connection: close").endsWith("\r\n\r\nabc");
        client.runPendingTasks();
        assertThat(client.isOpen()).isFalse();
        assertThat(upstreams.released).containsExactly(upstream);
    }

    @Test
    void aResponseCutShortClosesTheClient() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, "GET http://other.test/ HTTP/1.1\r\nHost: other.test\r\n\r\n");
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("Content-Length", 10);
        upstream.writeInbound(head);

        upstream.close();

        assertThat(received(client)).startsWith("HTTP/1.1 200");
        client.runPendingTasks();
        assertThat(client.isOpen()).isFalse();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.reason()).contains("mid-response"));
        assertThat(stats.errors(ProxyError.UPSTREAM_RESPONSE)).isEqualTo(1);
    }

    @Test
    void aDeniedRequestWithABodyIsAnsweredAndTheConnectionClosed() {
        EmbeddedChannel client = client(ClientConnection.plain("127.0.0.1:9").intercepted(new HostPort("api.example.com", 443), "a"));

        send(client, "POST / HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 5\r\n\r\nhello");

        assertThat(received(client)).startsWith("HTTP/1.1 421").contains("connection: close");
        client.runPendingTasks();
        assertThat(client.isOpen()).isFalse();
        assertThat(upstreams.keys).isEmpty();
        // A policy denial is an answer, not a failure of the proxy.
        assertThat(ProxyError.values()).allSatisfy(kind -> assertThat(stats.errors(kind)).isZero());
    }

    @Test
    void malformedAndOversizedRequestsAreAnsweredAndClosed() {
        EmbeddedChannel garbage = client();
        send(garbage, "\u0001\u0002\u0003 nonsense\r\n\r\n");
        assertThat(received(garbage)).startsWith("HTTP/1.1 400");

        EmbeddedChannel big = client();
        send(big, "GET http://other.test/ HTTP/1.1\r\nX: " + "a".repeat(HttpCodecs.MAX_REQUEST_HEADERS) + "\r\n\r\n");
        assertThat(received(big)).startsWith("HTTP/1.1 431");

        EmbeddedChannel longLine = client();
        send(longLine, "GET http://other.test/" + "a".repeat(HttpCodecs.MAX_REQUEST_LINE) + " HTTP/1.1\r\n\r\n");
        assertThat(received(longLine)).startsWith("HTTP/1.1 414");
        assertThat(upstreams.keys).isEmpty();
        assertThat(stats.errors(ProxyError.BAD_REQUEST)).isEqualTo(3);
    }

    @Test
    void requestsThatAreNotProxyRequestsAreBadRequests() {
        EmbeddedChannel client = client();

        send(client, "GET /origin-form HTTP/1.1\r\nHost: other.test\r\n\r\n");
        send(client, "GET https://other.test/ HTTP/1.1\r\nHost: other.test\r\n\r\n");
        send(client, "CONNECT nonsense HTTP/1.1\r\nHost: other.test\r\n\r\n");

        assertThat(received(client)).contains("HTTP/1.1 400").contains("send absolute-form http:// URLs or CONNECT")
                .contains("use CONNECT for https").contains("CONNECT needs host:port");
        assertThat(stats.errors(ProxyError.BAD_REQUEST)).isEqualTo(3);
        assertThat(upstreams.keys).isEmpty();
    }

    @Test
    void anAbsoluteFormRequestWithoutProxyAuthorizationIsFromTheUnknownApp() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();

        send(client, "GET http://other.test/ HTTP/1.1\r\nHost: other.test\r\n\r\n");
        upstream.readOutbound();
        respond(upstream, 200, "ok");

        assertThat(events).singleElement().satisfies(e -> assertThat(e.app()).isEqualTo(ProxyIdentity.UNKNOWN_APP));
    }

    @Test
    void requestsInsideATunnelKeepTheConnectsAppWhateverProxyAuthorizationTheyCarry() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client(ClientConnection.plain("127.0.0.1:9").intercepted(new HostPort("api.example.com", 443), "tito"));

        send(client, "GET /v1 HTTP/1.1\r\nHost: api.example.com\r\nProxy-Authorization: "
                + new ProxyIdentity("mallory", "x").toHeaderValue() + "\r\n\r\n");

        HttpRequest forwarded = upstream.readOutbound();
        assertThat(forwarded.headers().contains("Proxy-Authorization")).isFalse();
        respond(upstream, 200, "ok");
        assertThat(events).singleElement().satisfies(e -> assertThat(e.app()).isEqualTo("tito"));
    }

    @Test
    void aTunnelIsRecordedForTheConnectsAppWithoutAStatus() {
        EmbeddedChannel upstream = new EmbeddedChannel();
        upstreams.then(upstream);
        EmbeddedChannel client = client();

        send(client, "CONNECT no-rule.test:443 HTTP/1.1\r\nHost: no-rule.test:443\r\nProxy-Authorization: "
                + new ProxyIdentity("tito", "").toHeaderValue() + "\r\n\r\n");
        assertThat(received(client)).startsWith("HTTP/1.1 200 Connection Established");
        client.close();
        upstream.runPendingTasks();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.app()).isEqualTo("tito");
            assertThat(e.decision()).isEqualTo(Decision.TUNNEL);
            assertThat(e.status()).isZero();
            assertThat(e.host()).isEqualTo("no-rule.test");
        });
    }

    @Test
    void aTunnelThatCannotConnectIs502ForTheConnectsApp() {
        upstreams.then(new ConnectException("Connection refused"));
        EmbeddedChannel client = client();

        send(client, "CONNECT no-rule.test:443 HTTP/1.1\r\nHost: no-rule.test:443\r\nProxy-Authorization: "
                + new ProxyIdentity("places-app", "").toHeaderValue() + "\r\n\r\n");

        assertThat(received(client)).startsWith("HTTP/1.1 502");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.app()).isEqualTo("places-app");
            assertThat(e.decision()).isEqualTo(Decision.ERROR);
            assertThat(e.status()).isEqualTo(502);
        });
        assertThat(stats.errors(ProxyError.UPSTREAM_CONNECT)).isEqualTo(1);
    }

    @Test
    void aContentResponseBodyFlowsAsTheUpstreamSendsIt() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client();
        send(client, "GET http://other.test/events HTTP/1.1\r\nHost: other.test\r\n\r\n");
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("Transfer-Encoding", "chunked");
        upstream.writeInbound(head);
        assertThat(received(client)).startsWith("HTTP/1.1 200");

        HttpContent event = new io.netty.handler.codec.http.DefaultHttpContent(Unpooled.copiedBuffer("data: 1\n\n", StandardCharsets.US_ASCII));
        upstream.writeInbound(event);

        // The event reached the client before the response ended.
        assertThat(received(client)).contains("data: 1");
    }
}
