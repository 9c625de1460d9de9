package io.credproxy.daemon.pipeline;

import static io.credproxy.daemon.pipeline.Exchanges.intercepted;
import static io.credproxy.daemon.pipeline.Exchanges.plain;
import static io.credproxy.daemon.pipeline.Exchanges.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.Decision;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class PolicyStageTest {
    private final PolicyStage stage = new PolicyStage();

    @Test
    void aConnectToARuledHostIsInterceptedAndAnyOtherTunneled() {
        assertThat(stage.onTarget(Exchanges.target("API.Cloudflare.com:443", 443, Target.Kind.CONNECT, request("CONNECT", "x"))))
                .isSameAs(TargetDecision.INTERCEPT);
        assertThat(stage.onTarget(Exchanges.target("evil.example:443", 443, Target.Kind.CONNECT, request("CONNECT", "x"))))
                .isSameAs(TargetDecision.TUNNEL);
        assertThat(stage.onTarget(Exchanges.target("plain-ok.test:8080", 80, Target.Kind.CONNECT, request("CONNECT", "x"))))
                .as("the rule's port narrows it").isSameAs(TargetDecision.TUNNEL);
        assertThat(stage.onTarget(Exchanges.target("api.cloudflare.com", 80, Target.Kind.HTTP, request("GET", "/"))))
                .as("plain http is decided per request").isSameAs(TargetDecision.PROCEED);
    }

    @Test
    void aMatchingTunnelRequestProceedsWithItsRule() {
        Exchange ex = intercepted("api.cloudflare.com:443", "api.cloudflare.com", request("GET", "/x", "Host", "api.cloudflare.com"));

        assertThat(stage.onRequest(ex).proceeds()).isTrue();
        assertThat(ex.rule()).isNotNull();
        assertThat(ex.rule().rule().host()).isEqualTo("api.cloudflare.com");
    }

    @Test
    void theRuleFollowsTheConnectTargetNotTheHostHeader() {
        // CONNECT evil + Host: cloudflare is never intercepted (no rule for evil); CONNECT cloudflare + Host: evil is refused.
        Exchange ex = intercepted("api.cloudflare.com:443", null, request("GET", "/", "Host", "evil.example"));

        StageResult result = stage.onRequest(ex);

        assertThat(result.status()).isEqualTo(HttpResponseStatus.MISDIRECTED_REQUEST);
        assertThat(result.decision()).isEqualTo(Decision.DENIED);
        assertThat(ex.rule()).isNull();
    }

    @Test
    void aMismatchingSniIsMisdirected() {
        Exchange ex = intercepted("api.cloudflare.com:443", "evil.example", request("GET", "/", "Host", "api.cloudflare.com"));

        assertThat(stage.onRequest(ex).status()).isEqualTo(HttpResponseStatus.MISDIRECTED_REQUEST);
    }

    @Test
    void sniAndHostCompareCaseInsensitivelyAndIgnoreATrailingDot() {
        Exchange ex = intercepted("api.cloudflare.com:443", "API.Cloudflare.COM.", request("GET", "/", "Host", "Api.Cloudflare.Com:443"));

        assertThat(stage.onRequest(ex).proceeds()).isTrue();
    }

    @Test
    void aHostHeaderNamingAnotherPortIsMisdirected() {
        Exchange ex = intercepted("api.cloudflare.com:443", null, request("GET", "/", "Host", "api.cloudflare.com:8443"));

        assertThat(stage.onRequest(ex).status()).isEqualTo(HttpResponseStatus.MISDIRECTED_REQUEST);
    }

    @Test
    void anAbsoluteUriNamingAnotherHostIsMisdirected() {
        Exchange ex = intercepted("api.cloudflare.com:443", null, request("GET", "/", "Host", "api.cloudflare.com"), "evil.example");

        assertThat(stage.onRequest(ex).status()).isEqualTo(HttpResponseStatus.MISDIRECTED_REQUEST);
    }

    @Test
    void missingOrDuplicateHostHeadersInATunnelAre400() {
        assertThat(stage.onRequest(intercepted("api.cloudflare.com:443", null, request("GET", "/"))).status())
                .isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(stage.onRequest(intercepted("api.cloudflare.com:443", null,
                request("GET", "/", "Host", "api.cloudflare.com", "Host", "api.cloudflare.com"))).status())
                .isEqualTo(HttpResponseStatus.BAD_REQUEST);
    }

    @Test
    void anHttp10RequestWithoutHostIsServed() {
        var req = request("GET", "/");
        req.setProtocolVersion(HttpVersion.HTTP_1_0);

        assertThat(stage.onRequest(intercepted("api.cloudflare.com:443", null, req)).proceeds()).isTrue();
    }

    @Test
    void traceAndTrackToAnInterceptedHostAre405() {
        for (String method : new String[] {"TRACE", "TRACK"}) {
            Exchange ex = intercepted("api.cloudflare.com:443", null, request(method, "/", "Host", "api.cloudflare.com"));

            assertThat(stage.onRequest(ex).status()).as(method).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        }
    }

    @Test
    void plainHttpToARuledHostProceedsWithoutItsRule() {
        Exchange ex = plain("plain-no.test:80", request("GET", "/", "Host", "plain-no.test"));

        assertThat(stage.onRequest(ex).proceeds()).isTrue();
        assertThat(ex.rule()).isNull();
        assertThat(ex.reason()).isEqualTo(PolicyStage.PLAINTEXT_REASON);
    }

    @Test
    void plainHttpToARuleThatAllowsItGetsTheRule() {
        Exchange ex = plain("plain-ok.test:80", request("GET", "/", "Host", "plain-ok.test"));

        assertThat(stage.onRequest(ex).proceeds()).isTrue();
        assertThat(ex.rule()).isNotNull();
    }

    @Test
    void traceOverPlainHttpIsRefusedOnlyWhereCredentialsWouldBeAdded() {
        assertThat(stage.onRequest(plain("plain-ok.test:80", request("TRACE", "/"))).status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(stage.onRequest(plain("other.test:80", request("TRACE", "/"))).proceeds()).isTrue();
    }

    @Test
    void aHostWithoutARuleProceedsWithoutOne() {
        Exchange ex = plain("other.test:80", request("GET", "/"));

        assertThat(stage.onRequest(ex).proceeds()).isTrue();
        assertThat(ex.rule()).isNull();
    }
}
