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
    void aPlaceholderIsReplacedInThePathOnlyNeverInTheQueryOrHeaders() {
        // The workload would choose where the token lands: ?text=proxy-managed is a chat message the API echoes back.
        HttpRequest req = request("GET", "/botproxy-managed/sendMessage?chat_id=1&text=proxy-managed#proxy-managed",
                "Host", "api.telegram.org", "X-Token", "proxy-managed", "Authorization", "Bearer proxy-managed",
                "Cookie", "t=proxy-managed");

        Exchange ex = run(intercepted("api.telegram.org:443", null, req));

        // '/' and '?' in the value are percent-encoded in the path: a value cannot add a path segment or a query.
        assertThat(req.uri()).isEqualTo("/bot123456:tg-secret%2Fvalue%3Fx/sendMessage?chat_id=1&text=proxy-managed#proxy-managed");
        assertThat(req.headers().get("X-Token")).isEqualTo("proxy-managed");
        assertThat(req.headers().get("Authorization")).isEqualTo("Bearer proxy-managed");
        assertThat(req.headers().get("Cookie")).isEqualTo("t=proxy-managed");
        assertThat(req.headers().get("Host")).isEqualTo("api.telegram.org");
        assertThat(ex.secretNames()).containsExactly("TG");
        assertThat(ex.path()).isEqualTo("/botproxy-managed/sendMessage");
    }

    @Test
    void aPlaceholderOnlyInTheQueryOrAHeaderAddsNothing() {
        HttpRequest req = request("GET", "/getMe?token=proxy-managed", "Host", "api.telegram.org", "X-Token", "proxy-managed");

        Exchange ex = run(intercepted("api.telegram.org:443", null, req));

        assertThat(req.uri()).isEqualTo("/getMe?token=proxy-managed");
        assertThat(req.headers().get("X-Token")).isEqualTo("proxy-managed");
        assertThat(ex.decision()).isEqualTo(Decision.PASSTHROUGH);
        assertThat(ex.secretNames()).isEmpty();
    }

    @Test
    void aHeaderTheRuleOptsInIsSubstitutedInEveryCopyAndSpellingOthersAreNot() {
        HttpRequest req = request("GET", "/v1?k=proxy-managed", "Host", "opted.test", "x-api-key", "proxy-managed",
                "X-API-KEY", "key proxy-managed", "X-Other", "proxy-managed");

        Exchange ex = run(intercepted("opted.test:443", null, req));

        assertThat(req.headers().getAll("X-Api-Key")).containsExactly(TG_TOKEN, "key " + TG_TOKEN);
        assertThat(req.headers().get("X-Other")).isEqualTo("proxy-managed");
        assertThat(req.uri()).isEqualTo("/v1?k=proxy-managed");
        assertThat(ex.decision()).isEqualTo(Decision.INJECTED);
        assertThat(ex.secretNames()).containsExactly("TG");
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
