package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static io.credproxy.daemon.it.DaemonFixture.GOOGLE;
import static io.credproxy.daemon.it.DaemonFixture.TELEGRAM;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Credentials reach the right upstream, keyed on the real destination, with real clients. */
class InjectionIT extends InProcessDaemonIT {
    @Test
    void curlGetsTheCloudflareTokenAddedOnTheWayToCloudflare() throws Exception {
        Curl.Result r = fx.curl("https://" + CLOUDFLARE + "/client/v4/user/tokens/verify?x=1");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        assertThat(r.body()).startsWith("GET /client/v4/user/tokens/verify body=0");
        RecordedRequest seen = single(fx.https.requests());
        assertThat(seen.header("Authorization")).containsExactly("Bearer " + fx.secret("CLOUDFLARE_D1_API_TOKEN"));
        assertThat(seen.sniHost()).isEqualTo(CLOUDFLARE);
        assertThat(seen.uri()).isEqualTo("/client/v4/user/tokens/verify?x=1");
        AuditEvent event = single(fx.eventsFor(CLOUDFLARE));
        assertThat(event.decision()).isEqualTo(Decision.INJECTED);
        assertThat(event.secretNames()).containsExactly("CLOUDFLARE_D1_API_TOKEN");
        assertThat(event.path()).isEqualTo("/client/v4/user/tokens/verify");
        assertThat(event.status()).isEqualTo(200);
        assertThat(event.scheme()).isEqualTo("https");
    }

    @Test
    void jdkClientGetsTheGoogleKeyAndNotTheCloudflareToken() throws Exception {
        HttpResponse<String> response = fx.jdkClient().send(
                HttpRequest.newBuilder(URI.create("https://" + GOOGLE + "/v1/places:searchText")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest seen = single(fx.https.requests());
        assertThat(seen.header("X-Goog-Api-Key")).containsExactly(fx.secret("GOOGLE_PLACES_API_KEY"));
        assertThat(seen.header("Authorization")).isEmpty();
        assertThat(seen.bodyBytes()).isEqualTo(2);
    }

    @Test
    void theTelegramPlaceholderIsReplacedInThePathAndTheOptedInHeaderOnly() throws Exception {
        // Where the workload could steer the token (the query, any other header, the body) it stays the placeholder.
        Curl.Result r = fx.curl("-H", "X-Debug: token=proxy-managed", "-H", "X-Bot-Token: proxy-managed", "-H",
                "Authorization: Bearer proxy-managed", "--data", "text=proxy-managed",
                "https://" + TELEGRAM + "/botproxy-managed/sendMessage?chat_id=1&text=proxy-managed");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        String token = fx.secret("TELEGRAM_BOT_TOKEN");
        RecordedRequest seen = single(fx.https.requests());
        assertThat(seen.uri()).isEqualTo("/bot" + token + "/sendMessage?chat_id=1&text=proxy-managed");
        assertThat(seen.firstHeader("X-Bot-Token")).isEqualTo(token);
        assertThat(seen.firstHeader("X-Debug")).isEqualTo("token=proxy-managed");
        assertThat(seen.firstHeader("Authorization")).isEqualTo("Bearer proxy-managed");
        assertThat(seen.bodyBytes()).isEqualTo("text=proxy-managed".length());
        // The echo of the path comes back without the token.
        assertThat(r.body()).isEqualTo("POST /bot[REDACTED]/sendMessage body=18\n");
        AuditEvent event = single(fx.eventsFor(TELEGRAM));
        assertThat(event.path()).isEqualTo("/botproxy-managed/sendMessage");
        assertThat(event.secretNames()).containsExactly("TELEGRAM_BOT_TOKEN");
    }

    @Test
    void aPlaceholderOnlyInTheQueryOrAnotherHeaderSendsNoSecretAtAll() throws Exception {
        Curl.Result r = fx.curl("-H", "X-Debug: proxy-managed", "https://" + TELEGRAM + "/getMe?token=proxy-managed");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        RecordedRequest seen = single(fx.https.requests());
        assertThat(seen.uri()).isEqualTo("/getMe?token=proxy-managed");
        assertThat(seen.firstHeader("X-Debug")).isEqualTo("proxy-managed");
        AuditEvent event = single(fx.eventsFor(TELEGRAM));
        assertThat(event.decision()).isEqualTo(Decision.PASSTHROUGH);
        assertThat(event.secretNames()).isEmpty();
    }

    @Test
    void everyCopyOfAConfiguredHeaderTheClientSentIsReplaced() throws Exception {
        Curl.Result r = fx.curl("-H", "authorization: Bearer stolen-1", "-H", "AUTHORIZATION: Bearer stolen-2",
                "-H", "AuThOrIzAtIoN: Bearer stolen-3", "https://" + CLOUDFLARE + "/client/v4/zones");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        RecordedRequest seen = single(fx.https.requests());
        assertThat(seen.header("Authorization")).containsExactly("Bearer " + fx.secret("CLOUDFLARE_D1_API_TOKEN"));
    }

    @Test
    void theAgentsProxyAuthorizationNamesTheAppAndIsNeverForwarded() throws Exception {
        Curl.Result r = fx.curl("--proxy-user", fx.app("tito") + ":agent-token", "https://" + CLOUDFLARE + "/client/v4/zones");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        RecordedRequest seen = single(fx.https.requests());
        assertThat(seen.header("Proxy-Authorization")).isEmpty();
        assertThat(single(fx.eventsFor(CLOUDFLARE)).app()).isEqualTo(fx.app("tito"));
    }

    @Test
    void keepAliveRequestsOnOneTunnelAllGetTheCredential() throws Exception {
        Curl.Result r = fx.curl("https://" + CLOUDFLARE + "/a", "https://" + CLOUDFLARE + "/b", "https://" + CLOUDFLARE + "/c");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(fx.https.requests()).hasSize(3).allSatisfy(seen ->
                assertThat(seen.header("Authorization")).containsExactly("Bearer " + fx.secret("CLOUDFLARE_D1_API_TOKEN")));
        assertThat(fx.https.requests()).extracting(RecordedRequest::uri).containsExactly("/a", "/b", "/c");
    }

    @Test
    void upstreamConnectionsArePooledAcrossClientConnections() throws Exception {
        // Earlier tests may have left idle connections to other hosts in the pool (they close after 15 s).
        long before = fx.daemon.metrics().upstreamConnections();
        for (int i = 0; i < 6; i++) {
            assertThat(fx.curl("https://" + CLOUDFLARE + "/n/" + i).status()).isEqualTo(200);
        }

        // Six clients one after the other, each on a connection of its own: at most one pooled
        // upstream connection per event loop (the fixture runs two) was added and reused.
        assertThat(fx.daemon.metrics().upstreamConnections()).isBetween(1L, before + 2);
        assertThat(fx.https.requests()).hasSize(6);
    }

    @Test
    void aCredentialTheUpstreamReflectsInAResponseHeaderIsRedacted() throws Exception {
        Curl.Result r = fx.curl("https://" + CLOUDFLARE + "/reflect-header/Authorization");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        assertThat(single(fx.https.requests()).header("Authorization")).containsExactly("Bearer " + fx.secret("CLOUDFLARE_D1_API_TOKEN"));
        assertThat(r.headers()).containsIgnoringCase("X-Reflected: Bearer [REDACTED]")
                .doesNotContain(fx.secret("CLOUDFLARE_D1_API_TOKEN"));
    }

    static <T> T single(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
