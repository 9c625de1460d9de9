package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.testing.Canaries;
import io.credproxy.testing.RecordedRequest;
import io.credproxy.testing.RecordingUpstream.Answer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandInApisTest {
    private final Map<String, String> secrets = Canaries.values("CLOUDFLARE_D1_API_TOKEN", "GOOGLE_PLACES_API_KEY", "CRM_API_KEY",
            "TELEGRAM_BOT_TOKEN", StandInApis.CRM_ACCESS_ID, StandInApis.CRM_ACCESS_SECRET);
    private final StandInApis apis = new StandInApis(secrets);

    private static RecordedRequest request(String host, String uri, String... headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        map.put("host", List.of(host));
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i].toLowerCase(), List.of(headers[i + 1]));
        }
        return new RecordedRequest("GET", uri, map, 0, null, 443);
    }

    private String secret(String name) {
        return secrets.get(name);
    }

    @Test
    void eachApiAcceptsItsOwnCredentialWhereItsClientsSendIt() {
        List<RecordedRequest> good = List.of(
                request("api.cloudflare.com", "/client/v4/user/tokens/verify", "Authorization", "Bearer " + secret("CLOUDFLARE_D1_API_TOKEN")),
                request("places.googleapis.com:8443", "/v1/places/x", "X-Goog-Api-Key", secret("GOOGLE_PLACES_API_KEY")),
                request("crm.demo.workers.dev", "/api/contacts", "Authorization", "Bearer " + secret("CRM_API_KEY"),
                        "CF-Access-Client-Id", secret(StandInApis.CRM_ACCESS_ID),
                        "CF-Access-Client-Secret", secret(StandInApis.CRM_ACCESS_SECRET)),
                request("api.telegram.org", "/bot" + secret("TELEGRAM_BOT_TOKEN") + "/getMe?run=1"));

        assertThat(good).allSatisfy(r -> {
            assertThat(apis.authorized(r)).as(r.toString()).isTrue();
            assertThat(apis.answer(r).status()).isEqualTo(200);
        });
    }

    @Test
    void placeholdersOtherApisCredentialsAndMissingAccessHeadersAreRefused() {
        List<RecordedRequest> bad = List.of(
                request("api.cloudflare.com", "/client/v4/user/tokens/verify", "Authorization", "Bearer proxy-managed"),
                request("api.cloudflare.com", "/client/v4/user/tokens/verify", "Authorization", "Bearer " + secret("CRM_API_KEY")),
                request("places.googleapis.com", "/v1/places/x", "Authorization", "Bearer " + secret("GOOGLE_PLACES_API_KEY")),
                request("crm.demo.workers.dev", "/api/contacts", "Authorization", "Bearer " + secret("CRM_API_KEY")),
                request("api.telegram.org", "/botproxy-managed/getMe"),
                request("api.telegram.org", "/getMe", "Authorization", "Bearer " + secret("TELEGRAM_BOT_TOKEN")));

        assertThat(bad).allSatisfy(r -> {
            assertThat(apis.authorized(r)).as(r.toString()).isFalse();
            assertThat(apis.answer(r).status()).isIn(401, 403);
        });
    }

    @Test
    void aHostThatIsNoneOfTheApisIsNotFound() {
        RecordedRequest r = request("evil.example", "/", "Authorization", "Bearer " + secret("CLOUDFLARE_D1_API_TOKEN"));

        assertThat(apis.authorized(r)).isFalse();
        assertThat(apis.answer(r).status()).isEqualTo(404);
    }

    @Test
    void noAnswerEverContainsASecret() {
        for (DemoApi api : DemoApi.values()) {
            String token = secret(api.tokenVariable());
            RecordedRequest withToken = request(api.host(), api.path(token), api.headers(token).entrySet().stream()
                    .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new));
            for (RecordedRequest r : List.of(withToken, request(api.host(), api.path("proxy-managed")))) {
                Answer answer = apis.answer(r);
                assertThat(secrets.values()).noneMatch(v -> answer.body().contains(v));
            }
        }
    }
}
