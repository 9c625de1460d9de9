package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.server.HttpCodecs;
import io.credproxy.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear status, the connection closes, and the daemon keeps serving. */
class MalformedRequestIT extends InProcessDaemonIT {
    @AfterEach
    void daemonStillServes() throws Exception {
        Curl.Result r = fx.curl("https://" + CLOUDFLARE + "/still-there");
        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
    }

    @Test
    void garbageIs400AndTheConnectionCloses() throws Exception {
        try (RawClient client = fx.raw()) {
            client.send("\u0001\u0002 this is not http\r\n\r\n");
            RawClient.Response response = client.readResponse();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).isEqualTo("credproxy: malformed request\n");
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void oversizedHeadersAre431() throws Exception {
        try (RawClient client = fx.raw()) {
            client.send("GET http://no-rule.test/ HTTP/1.1\r\nHost: no-rule.test\r\nX-Big: "
                    + "a".repeat(HttpCodecs.MAX_REQUEST_HEADERS + 1) + "\r\n\r\n");

            assertThat(client.readResponse().status()).isEqualTo(431);
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void oversizedHeadersInsideAnInterceptedTunnelAre431() throws Exception {
        try (RawClient client = fx.raw()) {
            client.connect(CLOUDFLARE + ":443");
            client.startTls(TestPki.trusting(fx.daemonCa()), CLOUDFLARE);
            client.send("GET / HTTP/1.1\r\nHost: " + CLOUDFLARE + "\r\nX-Big: " + "a".repeat(HttpCodecs.MAX_REQUEST_HEADERS + 1) + "\r\n\r\n");

            assertThat(client.readResponse().status()).isEqualTo(431);
        }
        assertThat(fx.https.requests()).noneMatch(r -> r.uri().equals("/"));
    }

    @Test
    void anOverlongRequestLineIs414() throws Exception {
        try (RawClient client = fx.raw()) {
            client.send("GET http://no-rule.test/" + "a".repeat(HttpCodecs.MAX_REQUEST_LINE) + " HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(client.readResponse().status()).isEqualTo(414);
        }
    }

    @Test
    void anOriginFormRequestToTheProxyIs400() throws Exception {
        try (RawClient client = fx.raw()) {
            client.send("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawClient.Response response = client.readResponse();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("this is a proxy");
            // Nothing else was wrong with the connection: it stays usable.
            client.send("GET http://no-rule.test/again HTTP/1.1\r\nHost: no-rule.test\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void aConnectWithoutAPortIs400() throws Exception {
        try (RawClient client = fx.raw()) {
            assertThat(client.connect(CLOUDFLARE).status()).isEqualTo(400);
        }
    }

    @Test
    void anHttpsUrlInAbsoluteFormIs400() throws Exception {
        try (RawClient client = fx.raw()) {
            client.send("GET https://" + CLOUDFLARE + "/ HTTP/1.1\r\nHost: " + CLOUDFLARE + "\r\n\r\n");

            assertThat(client.readResponse().status()).isEqualTo(400);
        }
    }
}
