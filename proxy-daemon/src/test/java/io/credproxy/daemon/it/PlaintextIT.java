package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.NO_RULE_PLAIN;
import static io.credproxy.daemon.it.DaemonFixture.PLAIN;
import static io.credproxy.daemon.it.DaemonFixture.PLAIN_ALLOWED;
import static io.credproxy.daemon.it.InjectionIT.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Plain {@code http://} through the proxy: forwarded, but never with a credential unless the
 * rule opts in with {@code allow_plaintext: true}; the URL decides the destination.
 */
class PlaintextIT extends InProcessDaemonIT {
    @Test
    void aRuledHostOverPlainHttpIsForwardedWithoutTheCredential() throws Exception {
        Curl.Result r = fx.curl("-H", "Authorization: Bearer proxy-managed", "http://" + PLAIN + "/v1/items?q=1");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        RecordedRequest seen = single(fx.plain.requests());
        assertThat(seen.header("Authorization")).containsExactly("Bearer proxy-managed");
        assertThat(seen.uri()).isEqualTo("/v1/items?q=1");
        AuditEvent event = single(fx.eventsFor(PLAIN));
        assertThat(event.decision()).isEqualTo(Decision.PASSTHROUGH);
        assertThat(event.scheme()).isEqualTo("http");
        assertThat(event.reason()).contains("plain http");
        assertThat(event.secretNames()).isEmpty();
    }

    @Test
    void aRuleThatAllowsPlaintextGetsItsCredential() throws Exception {
        Curl.Result r = fx.curl("http://" + PLAIN_ALLOWED + "/v1/items");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        assertThat(single(fx.plain.requests()).header("Authorization")).containsExactly("Bearer " + fx.secret("PLAIN_TOKEN"));
        assertThat(single(fx.eventsFor(PLAIN_ALLOWED)).decision()).isEqualTo(Decision.INJECTED);
    }

    @Test
    void theUrlNotTheHostHeaderDecidesAndTheHostHeaderIsMadeToAgree() throws Exception {
        Curl.Result r = fx.curl("-H", "Host: " + PLAIN_ALLOWED, "http://" + NO_RULE_PLAIN + "/x");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        RecordedRequest seen = single(fx.plain.requests());
        assertThat(seen.header("Authorization")).isEmpty();
        assertThat(seen.firstHeader("Host")).isEqualTo(NO_RULE_PLAIN);
        assertThat(single(fx.eventsFor(NO_RULE_PLAIN)).decision()).isEqualTo(Decision.PASSTHROUGH);
    }

    @Test
    void jdkClientPlainRequestsPassWithoutProxyHeadersOrUpgrades() throws Exception {
        HttpResponse<String> response = fx.jdkClient().send(HttpRequest.newBuilder(URI.create("http://" + NO_RULE_PLAIN + "/hello"))
                .version(java.net.http.HttpClient.Version.HTTP_2).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("GET /hello");
        RecordedRequest seen = single(fx.plain.requests());
        assertThat(seen.headers()).doesNotContainKeys("proxy-authorization", "proxy-connection", "upgrade", "http2-settings", "connection");
    }
}
