package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static io.credproxy.daemon.it.DaemonFixture.DOWN;
import static io.credproxy.daemon.it.DaemonFixture.GOOGLE;
import static io.credproxy.daemon.it.DaemonFixture.NO_RULE_PLAIN;
import static io.credproxy.daemon.it.DaemonFixture.PASSTHROUGH;
import static io.credproxy.daemon.it.DaemonFixture.PLAIN_ALLOWED;
import static io.credproxy.daemon.it.DaemonFixture.TELEGRAM;
import static io.credproxy.daemon.it.DaemonFixture.UNTRUSTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventJson;
import io.credproxy.testing.RecordedRequest;
import io.credproxy.testing.RecordedStream;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing blocking runs on the daemon's event loops (issue 15), on every path a request takes.
 *
 * <p>BlockHound ({@link BlockingCallRecorder}) watches every Netty event-loop thread of this JVM
 * while two in-process daemons serve real clients: intercepted HTTPS with injection (curl, the JDK
 * client), plain {@code http://} in absolute form, a CONNECT tunnel to a host without a rule, h2 on
 * both sides, an egress refusal (403), unreachable and untrusted upstreams (502), response
 * redaction, the admin endpoints, and a few hundred requests so that the access-log and audit-log
 * queues fill and drain. Each test then asserts that no blocking call was recorded, printing thread,
 * method and stack of each. Start-up and shutdown are checked too.
 *
 * <p>Runs in a JVM of its own (failsafe execution {@code event-loops-never-block}, tag
 * {@value #TAG}): BlockHound on JDK 13+ needs {@code -XX:+AllowRedefinitionToAddDeleteMethods}, which
 * the other ITs' JVM does not get.
 */
@Tag(EventLoopsNeverBlockIT.TAG)
class EventLoopsNeverBlockIT {
    static final String TAG = "blockhound";
    private static final int LOAD_REQUESTS = 400;

    @TempDir
    static Path dir;
    static DaemonFixture fx;
    static H2Fixture h2;
    static List<String> blockedWhileStarting;

    @BeforeAll
    static void start() throws Exception {
        BlockingCallRecorder.install();
        fx = DaemonFixture.start(Files.createDirectories(dir.resolve("h1")));
        h2 = new H2Fixture(Files.createDirectories(dir.resolve("h2")));
        blockedWhileStarting = BlockingCallRecorder.drain();
    }

    /** Closing both daemons (connections closed on their loops, their events recorded) blocks no loop either. */
    @AfterAll
    static void stop() {
        if (h2 != null) {
            h2.close();
        }
        if (fx != null) {
            fx.close();
        }
        assertNothingBlocked("while stopping");
    }

    @AfterEach
    void nothingBlocked() {
        assertNothingBlocked("during this test");
    }

    private static void assertNothingBlocked(String when) {
        List<String> blocked = BlockingCallRecorder.drain();
        assertThat(blocked).withFailMessage("blocking calls on event loops %s:%n%s", when, String.join("\n", blocked)).isEmpty();
    }

    @Test
    void theCheckSeesASleepOnANettyEventLoop() throws Exception {
        // Proof in every run that the check can fail: BlockHound is installed, Netty's integration
        // counts its loops as non-blocking, the callback records. Threads as the daemon makes them.
        EventLoopGroup probe = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("blockhound-probe", true),
                NioIoHandler.newFactory());
        try {
            probe.submit(() -> {
                Thread.sleep(1);
                return null;
            }).get(10, TimeUnit.SECONDS);
        } finally {
            probe.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
        List<String> blocked = BlockingCallRecorder.drain();
        assertThat(blocked).as(String.join("\n", blocked)).hasSize(1);
        assertThat(blocked.get(0)).contains("sleep").contains("on blockhound-probe");
    }

    @Test
    void startingBothDaemons() {
        assertThat(blockedWhileStarting).as(String.join("\n", blockedWhileStarting)).isEmpty();
    }

    @Test
    void interceptedHttpsWithInjectionFromCurlAndTheJdkClient() throws Exception {
        fx.startTest();
        fx.https.clear();
        Curl.Result r = fx.curl("https://" + CLOUDFLARE + "/client/v4/user/tokens/verify");
        HttpResponse<String> jdk = fx.jdkClient().send(HttpRequest.newBuilder(URI.create("https://" + GOOGLE + "/v1/places:searchText"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        assertThat(jdk.statusCode()).isEqualTo(200);
        // Compared, never printed: a failure message must not carry the (canary) secret.
        assertThat(fx.https.requests()).extracting(RecordedRequest::uri).contains("/client/v4/user/tokens/verify");
        assertThat(fx.https.requests().stream().anyMatch(q -> q.header("Authorization")
                .equals(List.of("Bearer " + fx.secret("CLOUDFLARE_D1_API_TOKEN"))))).as("the credential was injected").isTrue();
        fx.eventsFor(CLOUDFLARE);
    }

    @Test
    void plainHttpInAbsoluteForm() throws Exception {
        fx.startTest();
        Curl.Result ruled = fx.curl("--data", "a=1", "http://" + PLAIN_ALLOWED + "/v1/items?q=1");
        Curl.Result unruled = fx.curl("http://" + NO_RULE_PLAIN + "/x");

        assertThat(ruled.status()).as(ruled.stderr()).isEqualTo(200);
        assertThat(ruled.body()).isEqualTo("POST /v1/items body=3\n");
        assertThat(unruled.status()).as(unruled.stderr()).isEqualTo(200);
        fx.eventsFor(PLAIN_ALLOWED);
        fx.eventsFor(NO_RULE_PLAIN);
    }

    @Test
    void connectTunnelToAHostWithoutARule() throws Exception {
        fx.startTest();
        Curl.Result r = fx.curlTrusting(fx.upstreamCaPem, "https://" + PASSTHROUGH + "/bytes?n=200000");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        assertThat(r.body()).hasSize(200_000);
        // A tunnel is recorded once both sides closed, on the loop that closed it.
        assertThat(fx.eventsFor(PASSTHROUGH)).hasSize(1);
    }

    @Test
    void http2OnBothSidesAndTranslatedToHttp11() throws Exception {
        String app = "blockhound-h2";
        Curl.Result both = h2.curl(app, "--http2", "https://" + H2Fixture.H2 + "/v1/items?x=1");
        Curl.Result toH1 = h2.curl(app, "--http2", "-X", "POST", "--data-binary", "hello", "https://" + H2Fixture.H1 + "/post");
        HttpClient client = HttpClient.newBuilder().proxy(java.net.ProxySelector.of(
                        new java.net.InetSocketAddress("127.0.0.1", h2.proxyPort())))
                .sslContext(h2.trustDaemon()).version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> jdk = client.send(HttpRequest.newBuilder(URI.create("https://" + H2Fixture.H2 + "/jdk")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(both.status()).as(both.stderr()).isEqualTo(200);
        assertThat(both.headers()).contains("HTTP/2 200");
        assertThat(toH1.status()).as(toH1.stderr()).isEqualTo(200);
        assertThat(jdk.statusCode()).isEqualTo(200);
        assertThat(jdk.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(h2.h2.requests()).extracting(RecordedStream::protocol).contains("h2");
        assertThat(h2.h2.requests().stream().anyMatch(s -> s.header("authorization")
                .equals(List.of("Bearer " + h2.secret("H2_TOKEN"))))).as("the credential was injected over h2").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> h2.events.size() >= 3);
    }

    @Test
    void anEgressRefusalIs403BeforeAnyConnect() throws Exception {
        fx.startTest();
        // An address literal that upstream.resolve does not map: loopback, refused by the egress stage.
        Curl.Result absolute = fx.curl("http://127.0.0.1:" + DaemonFixture.closedPort() + "/");
        Curl.Result connect = fx.curl("https://127.0.0.1:" + DaemonFixture.closedPort() + "/");

        assertThat(absolute.status()).as(absolute.stderr()).isEqualTo(403);
        assertThat(connect.headers()).startsWith("HTTP/1.1 403");
        fx.awaitEvents(2);
    }

    @Test
    void unreachableAndUntrustedUpstreamsAre502() throws Exception {
        fx.startTest();
        Curl.Result refused = fx.curl("https://" + DOWN + "/");
        Curl.Result untrusted = fx.curl("https://" + UNTRUSTED + "/");

        assertThat(refused.status()).as(refused.stderr()).isEqualTo(502);
        assertThat(untrusted.status()).as(untrusted.stderr()).isEqualTo(502);
        fx.eventsFor(DOWN);
        fx.eventsFor(UNTRUSTED);
    }

    @Test
    void anEchoedCredentialIsRedactedInTheResponse() throws Exception {
        fx.startTest();
        Curl.Result inBody = fx.curl("--data", "text=hi", "https://" + TELEGRAM + "/botproxy-managed/sendMessage");
        Curl.Result inHeader = fx.curl("https://" + CLOUDFLARE + "/reflect-header/Authorization");

        assertThat(inBody.status()).as(inBody.stderr()).isEqualTo(200);
        assertThat(inBody.body()).isEqualTo("POST /bot[REDACTED]/sendMessage body=7\n");
        assertThat(inHeader.status()).as(inHeader.stderr()).isEqualTo(200);
        assertThat(inHeader.headers()).containsIgnoringCase("X-Reflected: Bearer [REDACTED]");
        fx.eventsFor(TELEGRAM);
    }

    @Test
    void theAdminEndpoints() throws Exception {
        HttpClient direct = HttpClient.newHttpClient();
        String admin = "http://127.0.0.1:" + fx.adminPort();
        String batch = AgentEventJson.toJsonArray(List.of(AgentEvent.instrumented(System.currentTimeMillis(), "blockhound", "okhttp")));

        assertThat(get(direct, admin + "/healthz").body()).isEqualTo("ok\n");
        assertThat(get(direct, admin + "/metrics").body()).contains("credproxy_");
        assertThat(get(direct, admin + "/report").body()).startsWith("{");
        assertThat(get(direct, admin + "/ca.pem").body()).startsWith("-----BEGIN CERTIFICATE-----");
        HttpResponse<String> events = direct.send(HttpRequest.newBuilder(URI.create(admin + "/events"))
                .POST(HttpRequest.BodyPublishers.ofString(batch)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(events.statusCode()).as(events.body()).isBetween(200, 299);
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response;
    }

    @Test
    void hundredsOfKeptAliveRequestsFillTheAccessAndAuditLogQueues() throws Exception {
        long auditLinesBefore = lines(fx.auditLog);
        HttpClient client = fx.jdkClient();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                done.add(clients.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < LOAD_REQUESTS / 4; i++) {
                        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create("https://" + CLOUDFLARE + "/load/" + i))
                                .build(), HttpResponse.BodyHandlers.discarding());
                        ok += response.statusCode() == 200 ? 1 : 0;
                    }
                    return ok;
                }));
            }
            int ok = 0;
            for (Future<Integer> f : done) {
                ok += f.get(120, TimeUnit.SECONDS);
            }
            assertThat(ok).isEqualTo(LOAD_REQUESTS);
        } finally {
            clients.shutdownNow();
        }
        // The audit writer thread wrote them (it flushes at least once a second).
        await().atMost(Duration.ofSeconds(15)).until(() -> lines(fx.auditLog) >= auditLinesBefore + LOAD_REQUESTS);
    }

    private static long lines(Path file) throws Exception {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var stream = Files.lines(file)) {
            return stream.count();
        }
    }
}
