package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.H2Fixture.H1;
import static io.credproxy.daemon.it.H2Fixture.H2;
import static io.credproxy.daemon.it.H2Fixture.LIMITED;
import static io.credproxy.daemon.it.H2Fixture.OPAQUE;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.RecordedRequest;
import io.credproxy.testing.RecordedStream;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 through the intercepting daemon, both sides: curl and the JDK HttpClient speak h2 to the
 * daemon, which speaks h2 (or HTTP/1.1) to the upstream, the rule's credential added to every
 * stream, the names checked per stream, trailers carried through.
 */
class Http2IT {
    private static final AtomicInteger APPS = new AtomicInteger();

    @TempDir
    static Path dir;
    static H2Fixture fx;
    String app;

    @BeforeAll
    static void start() throws Exception {
        fx = new H2Fixture(dir);
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @BeforeEach
    void newApp() {
        app = "h2it" + APPS.incrementAndGet();
        fx.h2.clear();
        fx.h1.clear();
        fx.limited.clear();
    }

    private String bearer() {
        return "Bearer " + fx.secret("H2_TOKEN");
    }

    @Test
    void curlSpeaksH2ToTheDaemonAndTheDaemonSpeaksH2UpstreamWithTheCredential() throws Exception {
        Curl.Result r = fx.curl(app, "--http2", "-H", "Authorization: Bearer forged",
                "https://" + H2 + "/v1/items?x=1");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).contains("HTTP/2 200");
        assertThat(r.body()).isEqualTo("h2 GET /v1/items body=0\n");
        RecordedStream got = fx.h2.requests().get(0);
        assertThat(got.protocol()).isEqualTo("h2");
        assertThat(got.path()).isEqualTo("/v1/items?x=1");
        assertThat(got.authority()).isEqualTo(H2);
        assertThat(got.sniHost()).isEqualTo(H2);
        assertThat(got.header("authorization")).containsExactly(bearer());
        assertThat(got.headers().keySet()).noneMatch(name -> name.startsWith("x-http2-") || name.equals("host")
                || name.equals("proxy-authorization"));
        AuditEvent event = fx.events(app, 1).get(0);
        assertThat(event.decision()).isEqualTo(Decision.INJECTED);
        assertThat(event.status()).isEqualTo(200);
        assertThat(event.path()).isEqualTo("/v1/items");
    }

    @Test
    void anH2ClientMeetsAnHttp11UpstreamAndTheOtherWayRound() throws Exception {
        Curl.Result toH1 = fx.curl(app, "--http2", "-X", "POST", "--data-binary", "hello", "https://" + H1 + "/post");
        Curl.Result fromH1 = fx.curl(app, "--http1.1", "https://" + H2 + "/from-h1");

        assertThat(toH1.status()).isEqualTo(200);
        assertThat(toH1.headers()).contains("HTTP/2 200");
        assertThat(toH1.body()).isEqualTo("POST /post body=5\n");
        RecordedRequest atH1 = fx.h1.requests().get(0);
        assertThat(atH1.header("authorization")).containsExactly(bearer());
        assertThat(atH1.headers().keySet()).noneMatch(name -> name.startsWith("x-http2-"));
        assertThat(atH1.firstHeader("host")).isEqualTo(H1);

        assertThat(fromH1.status()).isEqualTo(200);
        assertThat(fromH1.headers()).contains("HTTP/1.1 200");
        assertThat(fromH1.body()).isEqualTo("h2 GET /from-h1 body=0\n");
        assertThat(fx.h2.requests().get(0).header("authorization")).containsExactly(bearer());
    }

    @Test
    void theJdkHttpClientGetsHttp2() throws Exception {
        HttpClient client = fx.jdkClient(HttpClient.Version.HTTP_2);
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://" + H2 + "/jdk"))
                .header("Authorization", "Bearer forged").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).isEqualTo("h2 GET /jdk body=0\n");
        assertThat(fx.h2.requests().get(0).header("authorization")).containsExactly(bearer());
    }

    @Test
    void everyClientCopyOfARuledHeaderIsReplacedIndexedOrNeverIndexed() throws Exception {
        try (RawH2Client raw = fx.raw(app, H2, H2, "authorization")) {
            assertThat(raw.alpn()).isEqualTo("h2");
            Http2Headers first = RawH2Client.get(H2, "/copies").add("authorization", "Bearer one").add("Authorization".toLowerCase(), "Bearer two");
            raw.headers(1, first, true);
            assertThat(raw.await(1).status()).isEqualTo(200);
            // The same header again: HPACK may now index it; the daemon must still replace it.
            try (RawH2Client indexed = fx.raw(app, H2, H2)) {
                indexed.headers(1, RawH2Client.get(H2, "/indexed").add("authorization", "Bearer x"), true);
                indexed.headers(3, RawH2Client.get(H2, "/indexed").add("authorization", "Bearer x"), true);
                assertThat(indexed.await(1).status()).isEqualTo(200);
                assertThat(indexed.await(3).status()).isEqualTo(200);
            }
        }
        assertThat(fx.h2.requests()).hasSize(3).allSatisfy(got -> assertThat(got.header("authorization")).containsExactly(bearer()));
    }

    @Test
    void anAuthorityOtherThanTheConnectTargetGets421OnItsStreamAndTheConnectionGoesOn() throws Exception {
        try (RawH2Client raw = fx.raw(app, H2, H2)) {
            raw.headers(1, RawH2Client.get(OPAQUE, "/elsewhere"), true);
            raw.headers(3, RawH2Client.get(H2 + ":8443", "/other-port"), true);
            raw.headers(5, RawH2Client.get(H2, "/fine"), true);
            RawH2Client.Reply wrongHost = raw.await(1);
            RawH2Client.Reply wrongPort = raw.await(3);
            RawH2Client.Reply fine = raw.await(5);

            assertThat(wrongHost.status()).isEqualTo(421);
            assertThat(wrongPort.status()).isEqualTo(421);
            assertThat(fine.status()).isEqualTo(200);
        }
        assertThat(fx.h2.requests()).extracting(RecordedStream::path).containsExactly("/fine");
    }

    @Test
    void aServerNameOtherThanTheConnectTargetGets421OnEveryStream() throws Exception {
        try (RawH2Client raw = fx.raw(app, H2, OPAQUE)) {
            raw.headers(1, RawH2Client.get(H2, "/sni"), true);
            assertThat(raw.await(1).status()).isEqualTo(421);
        }
        assertThat(fx.h2.requests()).isEmpty();
    }

    @Test
    void trailersComeThroughToAnH2Client() throws Exception {
        try (RawH2Client raw = fx.raw(app, H2, H2)) {
            raw.headers(1, RawH2Client.get(H2, "/trailers").add("te", "trailers"), true);
            RawH2Client.Reply reply = raw.await(1);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("body before trailers\n");
            assertThat(reply.trailers()).isNotNull();
            assertThat(reply.trailers().get("grpc-status").toString()).isEqualTo("0");
            assertThat(reply.trailers().get("x-upstream-trailer").toString()).isEqualTo("done");
        }
        assertThat(fx.h2.requests().get(0).header("te")).containsExactly("trailers");
    }

    @Test
    void anEchoedCredentialIsRedactedInHeadersAndTrailers() throws Exception {
        try (RawH2Client raw = fx.raw(app, H2, H2)) {
            raw.headers(1, RawH2Client.get(H2, "/reflect-header/authorization"), true);
            RawH2Client.Reply reply = raw.await(1);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.headers().toString()).doesNotContain(fx.secret("H2_TOKEN"));
            assertThat(String.valueOf(reply.trailers())).doesNotContain(fx.secret("H2_TOKEN"));
        }
    }

    @Test
    void sixteenConcurrentStreamsShareOneUpstreamConnection() throws Exception {
        int before = fx.h2.connections();
        try (RawH2Client raw = fx.raw(app, H2, H2)) {
            for (int i = 0; i < 16; i++) {
                raw.headers(1 + 2 * i, RawH2Client.get(H2, "/delay?ms=200&i=" + i), true);
            }
            for (int i = 0; i < 16; i++) {
                assertThat(raw.await(1 + 2 * i).status()).isEqualTo(200);
            }
        }
        assertThat(fx.h2.requests()).hasSize(16);
        // One client connection lives on one event loop; its upstream connection is that loop's.
        assertThat(fx.h2.connections() - before).isLessThanOrEqualTo(1);
        assertThat(fx.h2.maxStreamsOnOneConnection()).isGreaterThan(1);
    }

    @Test
    void theUpstreamsConcurrentStreamLimitIsRespected() throws Exception {
        try (RawH2Client raw = fx.raw(app, LIMITED, LIMITED)) {
            for (int i = 0; i < 6; i++) {
                raw.headers(1 + 2 * i, RawH2Client.get(LIMITED, "/delay?ms=300&i=" + i), true);
            }
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(raw.await(1 + 2 * i).status());
            }
            assertThat(statuses).containsOnly(200);
        }
        assertThat(fx.limited.maxStreamsOnOneConnection()).isLessThanOrEqualTo(2);
        assertThat(fx.limited.connections()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void hostsWithoutARuleStayOpaqueTunnelsWhateverTheClientNegotiates() throws Exception {
        List<String> command = new ArrayList<>(List.of("--proxy", fx.proxyUrl(), "--proxy-user", app + ":", "--cacert",
                fx.upstreamCaPem.toString(), "--http2", "https://" + OPAQUE + "/opaque"));
        Curl.Result r = Curl.run(fx.outDir, command);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).contains("HTTP/2 200");
        RecordedStream got = fx.h2.requests().get(0);
        assertThat(got.header("authorization")).isEmpty();
        assertThat(fx.events(app, 1).get(0).decision()).isEqualTo(Decision.TUNNEL);
    }
}
