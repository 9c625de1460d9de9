package io.credproxy.daemon.pipeline;

import static io.credproxy.daemon.pipeline.Exchanges.CF_TOKEN;
import static io.credproxy.daemon.pipeline.Exchanges.TG_TOKEN;
import static io.credproxy.daemon.pipeline.Exchanges.intercepted;
import static io.credproxy.daemon.pipeline.Exchanges.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.Decision;
import io.netty.handler.codec.http.HttpRequest;
import org.junit.jupiter.api.Test;

class InjectionStageTest {
    private final PolicyStage policy = new PolicyStage();
    private final InjectionStage injection = new InjectionStage();

    private Exchange run(Exchange ex) {
        assertThat(policy.onRequest(ex).proceeds()).isTrue();
        assertThat(injection.onRequest(ex).proceeds()).isTrue();
        return ex;
    }

    @Test
    void aHeaderRuleReplacesEveryCopyInAnySpelling() {
        HttpRequest req = request("GET", "/", "Host", "api.cloudflare.com", "authorization", "Bearer a",
                "AUTHORIZATION", "Bearer b", "Authorization", "Bearer c");

        Exchange ex = run(intercepted("api.cloudflare.com:443", null, req));

        assertThat(req.headers().getAll("Authorization")).containsExactly("Bearer " + CF_TOKEN);
        assertThat(ex.decision()).isEqualTo(Decision.INJECTED);
        assertThat(ex.secretNames()).containsExactly("CF");
    }

    @Test
    void aPlaceholderIsReplacedInPathQueryAndHeaderValuesButNotInHost() {
        HttpRequest req = request("GET", "/botproxy-managed/getMe?t=proxy-managed", "Host", "api.telegram.org",
                "X-Token", "proxy-managed", "X-Other", "a proxy-managed b");

        Exchange ex = run(intercepted("api.telegram.org:443", null, req));

        // '/' and '?' in the value are percent-encoded in the URI: a value cannot add a path segment or a query.
        String encoded = "123456:tg-secret%2Fvalue%3Fx";
        assertThat(req.uri()).isEqualTo("/bot" + encoded + "/getMe?t=" + encoded);
        assertThat(req.headers().get("X-Token")).isEqualTo(TG_TOKEN);
        assertThat(req.headers().get("X-Other")).isEqualTo("a " + TG_TOKEN + " b");
        assertThat(req.headers().get("Host")).isEqualTo("api.telegram.org");
        assertThat(ex.secretNames()).containsExactly("TG");
        assertThat(ex.path()).isEqualTo("/botproxy-managed/getMe");
    }

    @Test
    void aPlaceholderRuleWithoutThePlaceholderAddsNothing() {
        HttpRequest req = request("GET", "/bot123/getMe", "Host", "api.telegram.org");

        Exchange ex = run(intercepted("api.telegram.org:443", null, req));

        assertThat(req.uri()).isEqualTo("/bot123/getMe");
        assertThat(ex.decision()).isEqualTo(Decision.PASSTHROUGH);
        assertThat(ex.secretNames()).isEmpty();
    }

    @Test
    void noRuleNoChange() {
        HttpRequest req = request("GET", "/?a=proxy-managed", "Authorization", "mine");

        Exchange ex = Exchanges.plain("other.test:80", req);
        run(ex);

        assertThat(req.uri()).isEqualTo("/?a=proxy-managed");
        assertThat(req.headers().get("Authorization")).isEqualTo("mine");
        assertThat(ex.decision()).isEqualTo(Decision.PASSTHROUGH);
    }

    @Test
    void uriEncodingKeepsUnreservedCharactersAndColon() {
        assertThat(InjectionStage.encodeForUri("123:AbC-def_9.~")).isEqualTo("123:AbC-def_9.~");
        assertThat(InjectionStage.encodeForUri("a b/c?d#e&f=g%h")).isEqualTo("a%20b%2Fc%3Fd%23e%26f%3Dg%25h");
        assertThat(InjectionStage.encodeForUri("é")).isEqualTo("%C3%A9");
    }
}
