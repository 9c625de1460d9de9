package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoTargetTest {
    private static final Map<String, String> ENV = Map.of("CLOUDFLARE_D1_API_TOKEN", "cf-placeholder",
            "GOOGLE_PLACES_API_KEY", "places-placeholder", "CRM_API_KEY", "crm-placeholder", "TELEGRAM_BOT_TOKEN", "tg-placeholder");

    @Test
    void eachApiGetsItsPathAndItsTokenWhereItsClientsPutIt() {
        DemoTarget cloudflare = DemoTarget.from(URI.create("https://api.cloudflare.com:8443/?run=r1"), ENV);
        assertThat(cloudflare.uri()).hasToString("https://api.cloudflare.com:8443/client/v4/user/tokens/verify?run=r1");
        assertThat(cloudflare.headers()).containsExactly(Map.entry("Authorization", "Bearer cf-placeholder"));
        assertThat(cloudflare.authority()).isEqualTo("api.cloudflare.com:8443");

        DemoTarget places = DemoTarget.from(URI.create("https://places.googleapis.com"), ENV);
        assertThat(places.headers()).containsExactly(Map.entry("X-Goog-Api-Key", "places-placeholder"));
        assertThat(places.authority()).isEqualTo("places.googleapis.com");
        assertThat(places.port()).isEqualTo(443);

        DemoTarget telegram = DemoTarget.from(URI.create("https://api.telegram.org:9443/?run=r2"), ENV);
        assertThat(telegram.pathAndQuery()).isEqualTo("/bottg-placeholder/getMe?run=r2");
        assertThat(telegram.headers()).isEmpty();
    }

    @Test
    void aTokenVariableThatIsNotSetMeansThePlaceholder() {
        assertThat(DemoTarget.from(URI.create("https://crm.demo.workers.dev"), Map.of()).headers())
                .containsExactly(Map.entry("Authorization", "Bearer proxy-managed"));
    }

    @Test
    void anotherHostKeepsItsUrlAndGetsTheCloudflareBearer() {
        DemoTarget other = DemoTarget.from(URI.create("http://example.test:8080/some/path?q=1"), ENV);

        assertThat(other.uri()).hasToString("http://example.test:8080/some/path?q=1");
        assertThat(other.headers()).containsExactly(Map.entry("Authorization", "Bearer cf-placeholder"));
        assertThat(other.authority()).isEqualTo("example.test:8080");
    }
}
