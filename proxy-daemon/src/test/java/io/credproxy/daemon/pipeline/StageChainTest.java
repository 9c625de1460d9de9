package io.credproxy.daemon.pipeline;

import static io.credproxy.daemon.pipeline.Exchanges.intercepted;
import static io.credproxy.daemon.pipeline.Exchanges.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageChainTest {
    private final List<AuditEvent> events = new ArrayList<>();

    @Test
    void theStandardChainInjectsAndRecordsOnCompletion() {
        StageChain chain = StageChain.standard(new AuditRecorder(events::add));
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
        StageChain chain = StageChain.standard(new AuditRecorder(e -> {
            throw new IllegalStateException("sink down");
        }));
        Exchange ex = intercepted("api.cloudflare.com:443", null, request("GET", "/", "Host", "api.cloudflare.com"));
        chain.onRequest(ex);

        chain.onComplete(ex);
    }
}
