package io.credproxy.daemon.server;

import static io.credproxy.daemon.server.ForwardHandlerTest.received;
import static io.credproxy.daemon.server.ForwardHandlerTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.AuditRecorder;
import io.credproxy.daemon.pipeline.AuditStage;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.InjectionStage;
import io.credproxy.daemon.pipeline.PolicyStage;
import io.credproxy.daemon.pipeline.RequestContentHook;
import io.credproxy.daemon.pipeline.ResponseContentHook;
import io.credproxy.daemon.pipeline.ResponseHeadHook;
import io.credproxy.daemon.pipeline.ResponseRedactionStage;
import io.credproxy.daemon.pipeline.Stage;
import io.credproxy.daemon.pipeline.StageChain;
import io.credproxy.daemon.pipeline.StageResult;
import io.credproxy.daemon.pipeline.Target;
import io.credproxy.daemon.pipeline.TargetDecision;
import io.credproxy.daemon.pipeline.TargetHook;
import io.credproxy.daemon.pipeline.UpstreamAddressHook;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.policy.PolicyHolder;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.rules.SecretTemplate;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.netty.buffer.ByteBuf;
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
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every hook of the chain as the server calls it, on embedded channels: what a stage at each hook
 * can decide, and that a stage that throws there fails closed.
 */
class StageHooksTest {
    static final String TOKEN = "secret-token-value-42";

    private final List<AuditEvent> events = new ArrayList<>();
    private final ProxyMetrics metrics = new ProxyMetrics();
    private FakeUpstreams upstreams;
    private Policy policy;

    @BeforeEach
    void setUp() throws Exception {
        policy = Policy.resolve(List.of(
                        new Rule("api.example.com", null, Map.of("Authorization", SecretTemplate.parse("Bearer ${T}")), Map.of(), true)),
                new Secrets("test", Map.of("T", TOKEN)));
        upstreams = new FakeUpstreams();
    }

    /** A client connection whose chain is the standard one with {@code extra} stages in front. */
    private EmbeddedChannel client(Stage... extra) {
        List<Stage> stages = new ArrayList<>(List.of(extra));
        stages.addAll(List.of(new PolicyStage(), new InjectionStage(), new ResponseRedactionStage(),
                new AuditStage(new AuditRecorder(events::add))));
        ProxyContext proxy = new ProxyContext(new PolicyHolder(policy), null, upstreams, new StageChain(stages), 1000, 1000, metrics);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(ProxyInitializer.CODEC, HttpCodecs.server())
                .addLast(ProxyInitializer.FORWARD, new ForwardHandler(proxy, ClientConnection.plain("127.0.0.1:9"), null));
        return ch;
    }

    private static HttpResponse chunkedHead() {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("Transfer-Encoding", "chunked");
        return head;
    }

    private static HttpContent piece(String text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    @Test
    void aTargetHookRefusesAConnectBeforeAnythingIsConnectedAndTheRefusalIsAudited() {
        TargetHook egress = t -> t.destination().host().endsWith(".internal")
                ? TargetDecision.refuse(StageResult.deny(HttpResponseStatus.FORBIDDEN, "destination not allowed"))
                : TargetDecision.PROCEED;
        EmbeddedChannel client = client(egress);

        send(client, "CONNECT db.internal:5432 HTTP/1.1\r\nHost: db.internal:5432\r\n\r\n");

        assertThat(received(client)).startsWith("HTTP/1.1 403").contains("destination not allowed")
                .contains("Proxy-Status: credproxy; error=http_request_denied");
        assertThat(upstreams.checked).as("nothing was even resolved").isEmpty();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.method()).isEqualTo("CONNECT");
            assertThat(e.decision()).isEqualTo(Decision.DENIED);
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.host()).isEqualTo("db.internal");
            assertThat(e.reason()).isEqualTo("destination not allowed");
        });
    }

    @Test
    void aTargetHookSeesAbsoluteFormRequestsAndCanRefuseThem() {
        List<Target> seen = new ArrayList<>();
        TargetHook spy = t -> {
            seen.add(t);
            return TargetDecision.refuse(HttpResponseStatus.FORBIDDEN, "no plain http here");
        };
        EmbeddedChannel client = client(spy);

        send(client, "GET http://api.example.com/x HTTP/1.1\r\nHost: api.example.com\r\n\r\n");

        assertThat(received(client)).startsWith("HTTP/1.1 403").contains("no plain http here");
        assertThat(seen).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(Target.Kind.HTTP);
            assertThat(t.destination()).isEqualTo(new HostPort("api.example.com", 80));
        });
        assertThat(upstreams.keys).isEmpty();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(Decision.DENIED);
            assertThat(e.secretNames()).isEmpty();
        });
    }

    @Test
    void aStageDecidesInterceptOrTunnelInsteadOfThePolicy() {
        // No rule covers no-rule.test, yet a stage in front may choose to intercept it.
        EmbeddedChannel client = client((TargetHook) t -> TargetDecision.INTERCEPT);

        send(client, "CONNECT no-rule.test:443 HTTP/1.1\r\nHost: no-rule.test:443\r\n\r\n");

        assertThat(received(client)).startsWith("HTTP/1.1 200 Connection Established");
        assertThat(client.pipeline().get("tls")).as("the TLS terminator was installed").isNotNull();
        assertThat(upstreams.checked).as("an intercepted tunnel connects per request, not now").isEmpty();
    }

    @Test
    void anUpstreamAddressHookRefusesTheResolvedAddressOfATunnelAndNothingIsConnected() {
        List<InetSocketAddress> judged = new ArrayList<>();
        UpstreamAddressHook egress = (t, address) -> {
            judged.add(address);
            return StageResult.deny(HttpResponseStatus.FORBIDDEN, "destination address prohibited");
        };
        EmbeddedChannel upstream = new EmbeddedChannel();
        upstreams.then(upstream);
        EmbeddedChannel client = client(egress);

        send(client, "CONNECT no-rule.test:443 HTTP/1.1\r\nHost: no-rule.test:443\r\n\r\n");

        assertThat(received(client)).startsWith("HTTP/1.1 403").contains("destination address prohibited");
        assertThat(judged).containsExactly(FakeUpstreams.ADDRESS);
        assertThat(upstreams.next).as("no upstream channel was handed out").containsExactly(upstream);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(Decision.DENIED);
            assertThat(e.status()).isEqualTo(403);
        });
        assertThat(ProxyError.values()).allSatisfy(kind -> assertThat(metrics.errors(kind)).as("a refusal is no failure").isZero());
    }

    @Test
    void anUpstreamAddressHookRefusesForAnExchangeToo() {
        EmbeddedChannel client = client((UpstreamAddressHook) (t, address) -> {
            assertThat(t.kind()).isEqualTo(Target.Kind.HTTP);
            return StageResult.deny(HttpResponseStatus.FORBIDDEN, "destination address prohibited");
        });

        send(client, "GET http://api.example.com/x HTTP/1.1\r\nHost: api.example.com\r\n\r\n");

        assertThat(received(client)).startsWith("HTTP/1.1 403");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(Decision.DENIED);
            assertThat(e.secretNames()).as("the credential never left").isEmpty();
        });
    }

    @Test
    void anUpstreamAddressHookThatThrowsRefusesWith502() {
        EmbeddedChannel client = client((UpstreamAddressHook) (t, address) -> {
            throw new IllegalStateException("boom");
        });

        send(client, "GET http://other.test/ HTTP/1.1\r\nHost: other.test\r\n\r\n");

        assertThat(received(client)).startsWith("HTTP/1.1 502");
        assertThat(upstreams.keys).hasSize(1);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.decision()).isEqualTo(Decision.ERROR));
    }

    /** Replaces "secret" across piece boundaries, holding back up to five bytes between pieces. */
    private static final class CarryingRedactor implements ResponseContentHook {
        private static final AttributeKey<StringBuilder> CARRY = AttributeKey.valueOf("test.carry");

        @Override
        public HttpContent onResponseContent(Exchange exchange, HttpContent content) {
            StringBuilder carry = exchange.attr(CARRY).get();
            if (carry == null) {
                carry = new StringBuilder();
                exchange.attr(CARRY).set(carry);
            }
            carry.append(content.content().toString(StandardCharsets.US_ASCII));
            String text = carry.toString().replace("secret", "[gone]");
            boolean last = content instanceof LastHttpContent;
            int keep = last ? 0 : Math.min(5, text.length());
            carry.setLength(0);
            carry.append(text, text.length() - keep, text.length());
            ByteBuf out = Unpooled.copiedBuffer(text.substring(0, text.length() - keep), StandardCharsets.US_ASCII);
            HttpContent replaced = last ? new DefaultLastHttpContent(out) : new DefaultHttpContent(out);
            content.release();
            return replaced;
        }
    }

    @Test
    void aResponseContentHookTransformsAcrossPiecesAndFlushesWhatItHeldAtTheEnd() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client(new CarryingRedactor());
        send(client, "GET http://other.test/ HTTP/1.1\r\nHost: other.test\r\n\r\n");

        upstream.writeInbound(chunkedHead(), piece("a sec"), piece("ret b"),
                new DefaultLastHttpContent(Unpooled.copiedBuffer(" secret", StandardCharsets.US_ASCII)));

        String out = received(client);
        assertThat(out).doesNotContain("secret").doesNotContain("sec\r\n");
        assertThat(ChunkedBody.of(out)).isEqualTo("a [gone] b [gone]");
        assertThat(events).singleElement().satisfies(e -> assertThat(e.bytesDown()).isEqualTo("a [gone] b [gone]".length()));
    }

    @Test
    void aResponseContentHookThatThrowsClosesTheClientAndSendsNothingMore() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client((ResponseContentHook) (ex, content) -> {
            if (content.content().toString(StandardCharsets.US_ASCII).contains("poison")) {
                throw new IllegalStateException("cannot process");
            }
            return content;
        });
        send(client, "GET http://other.test/ HTTP/1.1\r\nHost: other.test\r\n\r\n");

        upstream.writeInbound(chunkedHead(), piece("fine "));
        upstream.writeInbound(piece("poison"));
        client.runPendingTasks();

        String out = received(client);
        assertThat(out).startsWith("HTTP/1.1 200").contains("fine ").doesNotContain("poison");
        assertThat(client.isOpen()).isFalse();
        assertThat(upstream.isOpen()).isFalse();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.reason()).contains("response stage failed"));
    }

    @Test
    void aResponseHeadHookRewritesHeadersAndOneThatThrowsSendsNothingOfTheResponse() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        EmbeddedChannel client = client((ResponseHeadHook) (ex, response) -> response.headers().set("X-Seen", "yes"));
        send(client, "GET http://other.test/ HTTP/1.1\r\nHost: other.test\r\n\r\n");
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("Content-Length", 0);
        upstream.writeInbound(head, LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(received(client)).contains("X-Seen: yes");

        EmbeddedChannel failing = FakeUpstreams.upstream();
        upstreams.then(failing);
        EmbeddedChannel other = client((ResponseHeadHook) (ex, response) -> {
            throw new IllegalStateException("boom");
        });
        send(other, "GET http://other.test/ HTTP/1.1\r\nHost: other.test\r\n\r\n");
        HttpResponse leaking = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        leaking.headers().set("X-Upstream", "leak");
        leaking.headers().set("Content-Length", 0);
        failing.writeInbound(leaking);

        assertThat(received(other)).startsWith("HTTP/1.1 502").doesNotContain("X-Upstream");
    }

    @Test
    void aRequestContentHookSeesEveryPieceAndOneThatThrowsForwardsNothingMore() {
        EmbeddedChannel upstream = FakeUpstreams.upstream();
        upstreams.then(upstream);
        List<String> pieces = new ArrayList<>();
        EmbeddedChannel client = client((RequestContentHook) (ex, content) -> {
            String text = content.content().toString(StandardCharsets.US_ASCII);
            pieces.add(text);
            if (text.contains("bad")) {
                throw new IllegalStateException("refused body");
            }
            return content;
        });

        send(client, "POST http://other.test/ HTTP/1.1\r\nHost: other.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\ngood\r\n");
        send(client, "3\r\nbad\r\n0\r\n\r\n");

        assertThat(pieces).contains("good", "bad");
        HttpRequest head = upstream.readOutbound();
        assertThat(head.uri()).isEqualTo("/");
        HttpContent first = upstream.readOutbound();
        assertThat(first.content().toString(StandardCharsets.US_ASCII)).isEqualTo("good");
        first.release();
        assertThat((Object) upstream.readOutbound()).as("nothing after the refused piece").isNull();
        assertThat(received(client)).startsWith("HTTP/1.1 502");
        assertThat(events).singleElement().satisfies(e -> assertThat(e.decision()).isEqualTo(Decision.ERROR));
    }
}
