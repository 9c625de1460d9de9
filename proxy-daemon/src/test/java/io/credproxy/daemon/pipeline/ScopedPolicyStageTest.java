package io.credproxy.daemon.pipeline;

import static io.credproxy.daemon.pipeline.Exchanges.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.identity.Caller;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.rules.PathGlob;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.rules.RuleScope;
import io.credproxy.daemon.rules.SecretTemplate;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.Decision;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** PolicyStage with rules scoped by apps, methods and paths, then the standard chain: out of scope is 403 and nothing is added. */
class ScopedPolicyStageTest {
    private static final String D1 = "d1-secret-value-0123456789";
    private static final Policy POLICY;

    static {
        try {
            POLICY = Policy.resolve(List.of(
                    new Rule("api.cloudflare.com", null, Map.of("Authorization", SecretTemplate.parse("Bearer ${D1}")), Map.of(), false,
                            new RuleScope(Set.of("tito"), Set.of("GET", "POST"), List.of(PathGlob.parse("/client/v4/accounts/*/d1/**")))),
                    new Rule("plain.test", null, Map.of("X-Key", SecretTemplate.parse("${D1}")), Map.of(), true,
                            new RuleScope(Set.of("tito"), Set.of(), List.of()))),
                    new Secrets("test", Map.of("D1", D1)));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final List<io.credproxy.protocol.report.AuditEvent> events = new ArrayList<>();
    private final StageChain chain = Chains.standard(new AuditRecorder(events::add));

    private static Exchange intercepted(String app, HttpRequest request) {
        request.headers().set("Host", "api.cloudflare.com");
        Target target = new Target(new Connection(null, "127.0.0.1:1"), new Caller(app, null, 1001, true, null),
                new HostPort("api.cloudflare.com", 443), Target.Kind.INTERCEPTED, request.method().name(), POLICY);
        String uri = request.uri();
        return new Exchange(target, Exchange.Scheme.HTTPS, "api.cloudflare.com", request,
                uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri, null);
    }

    @Test
    void theAppInScopeGetsItsCredentialAndTheUpstreamTheNormalisedPath() {
        Exchange ex = intercepted("tito", request("GET", "/client/v4/accounts/a1/./d1/%2e/database/../query?x=%2e%2e"));

        assertThat(chain.onRequest(ex).proceeds()).isTrue();
        assertThat(ex.request().uri()).isEqualTo("/client/v4/accounts/a1/d1/query?x=%2e%2e");
        assertThat(ex.request().headers().get("Authorization")).isEqualTo("Bearer " + D1);
        assertThat(ex.decision()).isEqualTo(Decision.INJECTED);
        assertThat(ex.path()).as("the record keeps what the client sent").isEqualTo("/client/v4/accounts/a1/./d1/%2e/database/../query");
    }

    @Test
    void anotherAppAMethodOrAPathOutOfScopeGets403AndNoCredential() {
        for (Exchange ex : List.of(
                intercepted("billing", request("GET", "/client/v4/accounts/a1/d1/query")),
                intercepted("tito", request("DELETE", "/client/v4/accounts/a1/d1/query")),
                intercepted("tito", request("get", "/client/v4/accounts/a1/d1/query")),
                intercepted("tito", request("GET", "/client/v4/accounts/a1/d1/../../a1/workers/x")),
                intercepted("tito", request("GET", "/client/v4/accounts/a1/d1/%2e%2e/%2e%2e/a1/workers")),
                intercepted("tito", request("GET", "/client/v4/accounts/a1/d1/..%2f..%2fworkers")),
                intercepted("tito", request("GET", "/client/v4/accounts/a1/d1/%252e%252e/x")),
                intercepted("tito", request("GET", "/client/v4/accounts/a1/d1/..;/..;/workers")),
                intercepted("tito", request("GET", "/client/v4/accounts/a1/d1/%00")))) {
            StageResult result = chain.onRequest(ex);

            assertThat(result.status()).as(ex.method() + " " + ex.path() + " by " + ex.app()).isEqualTo(HttpResponseStatus.FORBIDDEN);
            assertThat(result.reason()).isNotBlank();
            assertThat(ex.request().headers().contains("Authorization")).isFalse();
            assertThat(ex.secretNames()).isEmpty();
            assertThat(ex.refusedSecretNames()).containsExactly("D1");
            assertThat(ex.decision()).isEqualTo(Decision.DENIED);
        }
    }

    @Test
    void theRefusalIsRecordedWithTheSecretNamesRefusedAndWhoAsked() {
        Exchange ex = intercepted("billing", request("GET", "/client/v4/accounts/a1/d1/query"));
        StageResult result = chain.onRequest(ex);
        ex.status(result.status().code());
        chain.onComplete(ex);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(Decision.DENIED);
            assertThat(e.reason()).isEqualTo("app billing may not use the credentials for api.cloudflare.com");
            assertThat(e.refusedSecretNames()).containsExactly("D1");
            assertThat(e.secretNames()).isEmpty();
            assertThat(e.uid()).isEqualTo(1001L);
        });
    }

    @Test
    void plainHttpOutOfScopeIsRefusedToo() {
        HttpRequest request = request("GET", "/x");
        Target target = new Target(new Connection(null, "127.0.0.1:1"), Caller.claimed("billing"), new HostPort("plain.test", 80),
                Target.Kind.HTTP, "GET", POLICY);
        Exchange ex = new Exchange(target, Exchange.Scheme.HTTP, null, request, "/x", null);

        assertThat(chain.onRequest(ex).status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(request.headers().contains("X-Key")).isFalse();
    }
}
