package io.credproxy.daemon.pipeline;

import static io.credproxy.daemon.pipeline.Exchanges.intercepted;
import static io.credproxy.daemon.pipeline.Exchanges.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageChainTest {
    private final List<AuditEvent> events = new ArrayList<>();

    @Test
    void theStandardChainInjectsAndRecordsOnCompletion() {
        StageChain chain = Chains.standard(new AuditRecorder(events::add));
        Exchange ex = intercepted("api.cloudflare.com:443", null, request("GET", "/v4/zones?page=2", "Host", "api.cloudflare.com"));

        assertThat(chain.onRequest(ex).proceeds()).isTrue();
        assertThat(events).isEmpty();
        ex.status(200);
        chain.onComplete(ex);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(Decision.INJECTED);
            assertThat(e.path()).isEqualTo("/v4/zones");
            assertThat(e.secretNames()).containsExactly("CF");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.host()).isEqualTo("api.cloudflare.com");
            assertThat(e.port()).isEqualTo(443);
        });
    }

    @Test
    void aStageThatThrowsEndsTheExchangeWith502AndNothingIsForwarded() {
        RequestHeadHook broken = ex -> {
            throw new IllegalStateException("boom " + Exchanges.CF_TOKEN);
        };
        StageChain chain = new StageChain(List.of(new PolicyStage(), new InjectionStage(), broken, new AuditStage(new AuditRecorder(events::add))));
        Exchange ex = intercepted("api.cloudflare.com:443", null, request("GET", "/", "Host", "api.cloudflare.com"));

        StageResult result = chain.onRequest(ex);

        assertThat(result.proceeds()).isFalse();
        assertThat(result.status()).isEqualTo(HttpResponseStatus.BAD_GATEWAY);
        assertThat(result.decision()).isEqualTo(Decision.ERROR);
        assertThat(ex.secretNames()).isEmpty();
        assertThat(result.reason()).doesNotContain(Exchanges.CF_TOKEN);
    }

    @Test
    void aStageReturningNullFailsClosedToo() {
        StageChain chain = new StageChain(List.of((RequestHeadHook) ex -> null));

        assertThat(chain.onRequest(intercepted("api.cloudflare.com:443", null, request("GET", "/"))).status())
                .isEqualTo(HttpResponseStatus.BAD_GATEWAY);
    }

    @Test
    void aDenialStopsTheChainBeforeInjection() {
        List<String> ran = new ArrayList<>();
        RequestHeadHook spy = ex -> {
            ran.add("after");
            return StageResult.proceed();
        };
        StageChain chain = new StageChain(List.of(new PolicyStage(), spy));
        Exchange ex = intercepted("api.cloudflare.com:443", null, request("TRACE", "/", "Host", "api.cloudflare.com"));

        assertThat(chain.onRequest(ex).status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(ran).isEmpty();
        assertThat(ex.decision()).isEqualTo(Decision.DENIED);
    }

    @Test
    void anAuditSinkThatThrowsDoesNotBreakCompletion() {
        List<Exchange> completedAfter = new ArrayList<>();
        StageChain chain = new StageChain(List.of(new AuditStage(new AuditRecorder(e -> {
            throw new IllegalStateException("sink down");
        })), (CompletionHook) completedAfter::add, (CompletionHook) e -> {
            throw new IllegalStateException("a completion stage down");
        }, (CompletionHook) completedAfter::add));
        Exchange ex = intercepted("api.cloudflare.com:443", null, request("GET", "/", "Host", "api.cloudflare.com"));
        chain.onRequest(ex);

        assertThatCode(() -> chain.onComplete(ex)).doesNotThrowAnyException();
        assertThat(completedAfter).as("the stages after a failing one still ran").containsExactly(ex, ex);
    }

    @Test
    void eachHookRunsOnlyTheStagesThatImplementIt() {
        StageChain standard = Chains.standard(new AuditRecorder(events::add));
        assertThat(standard.seesRequestContent()).isFalse();
        assertThat(standard.seesResponseContent()).as("response redaction").isTrue();
        assertThat(standard.judgesUpstreamAddresses()).as("egress").isTrue();
        StageChain onlyAudit = new StageChain(List.of(new AuditStage(new AuditRecorder(events::add))));
        assertThat(onlyAudit.seesRequestContent()).isFalse();
        assertThat(onlyAudit.seesResponseContent()).isFalse();
        assertThat(onlyAudit.judgesUpstreamAddresses()).isFalse();

        List<String> order = new ArrayList<>();
        ResponseContentHook first = (ex, c) -> {
            order.add("first");
            return c;
        };
        ResponseContentHook second = (ex, c) -> {
            order.add("second");
            return c;
        };
        StageChain chain = new StageChain(List.of(first, new PolicyStage(), second));
        HttpContent piece = new DefaultHttpContent(Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII));

        assertThat(chain.seesResponseContent()).isTrue();
        assertThat(chain.onResponseContent(intercepted("api.cloudflare.com:443", null, request("GET", "/")), piece)).isSameAs(piece);
        assertThat(order).containsExactly("first", "second");
        piece.release();
    }

    @Test
    void aContentStageThatThrowsFailsTheExchangeAndThePieceIsReleased() {
        StageChain chain = new StageChain(List.of((RequestContentHook) (ex, c) -> {
            throw new IllegalStateException("boom " + Exchanges.CF_TOKEN);
        }));
        HttpContent piece = new DefaultHttpContent(Unpooled.copiedBuffer("body", StandardCharsets.US_ASCII));
        Exchange ex = intercepted("api.cloudflare.com:443", null, request("POST", "/"));

        assertThatThrownBy(() -> chain.onRequestContent(ex, piece)).isInstanceOf(StageFailure.class)
                .hasMessageNotContaining(Exchanges.CF_TOKEN);
        assertThat(piece.refCnt()).isZero();
    }

    @Test
    void theFirstTargetDecisionWinsAndWithoutOneAConnectIsTunneled() {
        Target connect = Exchanges.target("api.cloudflare.com:443", 443, Target.Kind.CONNECT, request("CONNECT", "api.cloudflare.com:443"));
        Target elsewhere = Exchanges.target("other.test:443", 443, Target.Kind.CONNECT, request("CONNECT", "other.test:443"));
        TargetHook refuseOther = t -> t.destination().host().equals("other.test")
                ? TargetDecision.refuse(HttpResponseStatus.FORBIDDEN, "no") : TargetDecision.PROCEED;

        StageChain chain = new StageChain(List.of(refuseOther, new PolicyStage()));
        assertThat(chain.onTarget(connect)).isSameAs(TargetDecision.INTERCEPT);
        assertThat(chain.onTarget(elsewhere).refusal().status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(new StageChain(List.of()).onTarget(connect)).isSameAs(TargetDecision.TUNNEL);
        assertThat(new StageChain(List.of()).onTarget(Exchanges.target("other.test", 80, Target.Kind.HTTP, request("GET", "/"))))
                .isSameAs(TargetDecision.PROCEED);
    }

    @Test
    void targetAndAddressHooksThatThrowRefuseWith502() {
        Target connect = Exchanges.target("api.cloudflare.com:443", 443, Target.Kind.CONNECT, request("CONNECT", "api.cloudflare.com:443"));
        TargetHook brokenTarget = t -> {
            throw new IllegalStateException("boom");
        };
        UpstreamAddressHook brokenAddress = (t, a) -> {
            throw new IllegalStateException("boom");
        };
        StageChain chain = new StageChain(List.of(brokenTarget, brokenAddress));

        assertThat(chain.onTarget(connect).refusal().status()).isEqualTo(HttpResponseStatus.BAD_GATEWAY);
        assertThat(chain.onUpstreamAddress(connect, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)).status())
                .isEqualTo(HttpResponseStatus.BAD_GATEWAY);
    }

    @Test
    void aConnectionHookThatRefusesOrThrowsClosesTheConnection() {
        Connection c = new Connection(null, "127.0.0.1:1");
        assertThat(new StageChain(List.of((ConnectionHook) x -> true)).onConnectionOpened(c)).isTrue();
        assertThat(new StageChain(List.of((ConnectionHook) x -> false)).onConnectionOpened(c)).isFalse();
        assertThat(new StageChain(List.of((ConnectionHook) x -> {
            throw new IllegalStateException("boom");
        })).onConnectionOpened(c)).isFalse();
    }
}
