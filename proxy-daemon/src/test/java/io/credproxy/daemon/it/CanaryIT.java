package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static io.credproxy.daemon.it.DaemonFixture.DOWN;
import static io.credproxy.daemon.it.DaemonFixture.EVIL;
import static io.credproxy.daemon.it.DaemonFixture.GOOGLE;
import static io.credproxy.daemon.it.DaemonFixture.NO_RULE_PLAIN;
import static io.credproxy.daemon.it.DaemonFixture.PLAIN;
import static io.credproxy.daemon.it.DaemonFixture.PLAIN_ALLOWED;
import static io.credproxy.daemon.it.DaemonFixture.TELEGRAM;
import static io.credproxy.daemon.it.DaemonFixture.TUNNEL_DOWN;
import static io.credproxy.daemon.it.DaemonFixture.UNTRUSTED;
import static io.credproxy.daemon.it.DaemonFixture.WRONG_NAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.server.HttpCodecs;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventJson;
import io.credproxy.protocol.wire.AgentEventKind;
import io.credproxy.testing.Canaries;
import io.credproxy.testing.RecordedRequest;
import io.credproxy.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged daemon at DEBUG log level through every path it has (injection, denials,
 * every upstream failure, malformed input, tunnels, admin, agent events), then searches every byte
 * it printed or wrote (its audit log included), every response it gave ({@code /report} and
 * {@code /metrics} included), every {@code credproxy report} output (from the live daemon and from
 * the audit log, every format) and every file it created for the canary secret values.
 *
 * <p>An upstream's echo of a request that carried a secret is the daemon's output too (it redacts
 * it). The one request whose echo is kept apart is a client's own: a path holding a value, sent to
 * a host without a rule; that copy serves as the positive control proving the search finds a value
 * where there is one.
 */
class CanaryIT {
    @TempDir
    Path dir;

    @Test
    void noSecretValueAppearsInAnythingTheDaemonWrote() throws Exception {
        Map<String, String> texts = new LinkedHashMap<>();
        Path relayed = Files.createDirectories(dir.resolve("relayed"));
        try (DaemonFixture fx = DaemonFixture.withoutDaemon(dir)) {
            ChildDaemon child = fx.startChild(List.of("-Dcredproxy.log.level=DEBUG"));
            String cf = fx.secret("CLOUDFLARE_D1_API_TOKEN");

            // Injection, with client-sent copies to replace and an upstream that reflects the header.
            assertThat(fx.curl("-H", "Authorization: Bearer stolen", "https://" + CLOUDFLARE + "/client/v4/zones?page=1").status()).isEqualTo(200);
            assertThat(fx.curl("https://" + CLOUDFLARE + "/reflect-header/Authorization").status()).isEqualTo(200);
            assertThat(fx.curl("-d", "{}", "https://" + GOOGLE + "/v1/places:searchText").status()).isEqualTo(200);
            assertThat(fx.curl("http://" + PLAIN_ALLOWED + "/plain").status()).isEqualTo(200);
            assertThat(fx.curl("http://" + PLAIN + "/plain").status()).isEqualTo(200);
            // The echo endpoint repeats the substituted path; the daemon redacts it from the response.
            Curl.Result telegram = fx.curl("https://" + TELEGRAM + "/botproxy-managed/getMe?chat=proxy-managed");
            assertThat(telegram.body()).contains("/bot[REDACTED]/getMe");
            // A client that does hold a secret puts it in a path: the daemon's log must not repeat it.
            Curl.Result leaky = Curl.run(relayed, List.of("--proxy", fx.proxyUrl(), "http://" + NO_RULE_PLAIN + "/leak/" + cf + "?q=" + cf));
            assertThat(leaky.status()).isEqualTo(200);

            // Denials.
            assertThat(fx.curl("-H", "Host: " + EVIL, "https://" + CLOUDFLARE + "/").status()).isEqualTo(421);
            assertThat(fx.curl("-X", "TRACE", "https://" + CLOUDFLARE + "/").status()).isEqualTo(405);
            try (RawClient raw = fx.raw()) {
                raw.connect(CLOUDFLARE + ":443");
                raw.startTls(TestPki.trusting(fx.daemonCa()), EVIL);
                raw.send("GET / HTTP/1.1\r\nHost: " + CLOUDFLARE + "\r\n\r\n");
                texts.put("sni mismatch response", raw.readResponse().toString());
            }
            // Every upstream failure.
            for (String host : List.of(UNTRUSTED, WRONG_NAME, DOWN, TUNNEL_DOWN, "nowhere.test")) {
                fx.curl("https://" + host + "/client/v4/zones");
            }
            assertThat(fx.curl("https://" + CLOUDFLARE + "/delay?ms=" + (DaemonFixture.RESPONSE_TIMEOUT_MS * 2)).status()).isEqualTo(504);
            // Malformed input.
            try (RawClient raw = fx.raw()) {
                raw.send("GET http://" + PLAIN_ALLOWED + "/ HTTP/1.1\r\nX-Big: " + "a".repeat(HttpCodecs.MAX_REQUEST_HEADERS + 10) + "\r\n\r\n");
                texts.put("431 response", raw.readResponse().toString());
            }
            try (RawClient raw = fx.raw()) {
                raw.send("BROKEN\r\n\r\n");
                texts.put("400 response", raw.readResponse().toString());
            }
            // A tunnel and the admin port.
            assertThat(fx.curlTrusting(fx.upstreamCaPem, "-H", "Host: " + CLOUDFLARE, "https://" + EVIL + "/").status()).isEqualTo(200);
            texts.put("/ca.pem", child.fetch("/ca.pem"));
            texts.put("/healthz", child.fetch("/healthz"));
            // An agent that reports a secret where none belongs (its frame and destination).
            String batch = AgentEventJson.toJsonArray(List.of(AgentEvent.socket(AgentEventKind.SOCKET_BLOCKED, 0, "tito",
                    "java.net.Socket", cf + ".example", 25, "com.example.Leaky." + cf)));
            HttpResponse<String> events = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + fx.adminAddress() + "/events")).POST(HttpRequest.BodyPublishers.ofString(batch)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(events.statusCode()).isEqualTo(202);
            texts.put("POST /events answer", events.body());
            // Reports and metrics, live.
            String report = child.fetch("/report");
            assertThat(report).contains("CLOUDFLARE_D1_API_TOKEN").contains("com.example.Leaky.[redacted:CLOUDFLARE_D1_API_TOKEN]");
            texts.put("/report", report);
            texts.put("/metrics", child.fetch("/metrics"));
            for (String format : List.of("table", "json", "html")) {
                ChildDaemon.Run run = ChildDaemon.run(List.of("report", "--admin", fx.adminAddress(), "--format", format));
                assertThat(run.exitCode()).as(run.stderr()).isZero();
                texts.put("credproxy report --admin --format " + format, run.stdout() + run.stderr());
            }

            // Positive control: the credentials did reach the upstreams.
            assertThat(fx.https.requests()).extracting(r -> r.firstHeader("Authorization")).contains("Bearer " + cf);
            assertThat(fx.https.requests()).extracting(r -> r.firstHeader("X-Goog-Api-Key")).contains(fx.secret("GOOGLE_PLACES_API_KEY"));
            assertThat(fx.plain.requests()).extracting(RecordedRequest::uri).contains("/leak/" + cf + "?q=" + cf);

            child.stop();
            assertThat(child.stdout() + child.stderr()).contains("credproxy stopped").contains("[redacted:CLOUDFLARE_D1_API_TOKEN]");
            // The audit log (in outDir, searched below) holds the leaky request, redacted.
            assertThat(Files.readString(fx.auditLog)).contains("/leak/[redacted:CLOUDFLARE_D1_API_TOKEN]")
                    .contains("com.example.Leaky.[redacted:CLOUDFLARE_D1_API_TOKEN]");
            for (String format : List.of("table", "json", "html")) {
                ChildDaemon.Run run = ChildDaemon.run(List.of("report", "--audit-log", fx.auditLog.toString(), "--format", format));
                assertThat(run.exitCode()).as(run.stderr()).isZero();
                texts.put("credproxy report --audit-log --format " + format, run.stdout() + run.stderr());
            }

            List<String> leaks = Canaries.findLeaks(fx.secrets, List.of(fx.outDir, dir.resolve("ca"), fx.configFile), texts);
            assertThat(leaks).isEmpty();
            // The search itself works: it finds the values where they are.
            assertThat(Canaries.findLeaks(fx.secrets, List.of(relayed, fx.secretsFile), Map.of())).isNotEmpty();
        }
    }
}
