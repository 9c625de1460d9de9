package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static io.credproxy.daemon.it.DaemonFixture.EVIL;
import static io.credproxy.daemon.it.DaemonFixture.GOOGLE;
import static io.credproxy.daemon.it.DaemonFixture.NO_RULE_PLAIN;
import static io.credproxy.daemon.it.DaemonFixture.PASSTHROUGH;
import static io.credproxy.daemon.it.DaemonFixture.TUNNEL_DOWN;
import static io.credproxy.daemon.it.DaemonFixture.UNTRUSTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.BypassReport;
import io.credproxy.protocol.report.DestinationReport;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventJson;
import io.credproxy.protocol.wire.AgentEventKind;
import io.credproxy.protocol.wire.ProxyIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 end to end: a daemon started from a config (audit log in a temp dir) carries traffic
 * for two apps and one that does not say who it is (injected, tunnel, denied, upstream errors,
 * passthrough) plus agent events; then {@code /report}, {@code /metrics}, the audit log and
 * {@code credproxy report} (the packaged jar, from the live daemon and from the log, in every
 * format) must all tell the same story.
 *
 * <p>The traffic runs once, before the tests: {@link #runTrafficThenStop()} records what each
 * output said, with one tunnel still open when the daemon stops (its event is written while the
 * daemon closes, so it is in the audit log but was not in the live report).
 */
class ReportingIT {
    static final String TITO = "tito";
    static final String PLACES = "places-app";
    static final String LATE = "late-app";
    static final ObjectMapper JSON = AuditJson.newMapper();
    static final HttpClient DIRECT = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    static final int REQUEST_EVENTS = 8;

    @TempDir
    static Path dir;
    static DaemonFixture fx;

    static Report liveReport;
    static String metricsText;
    static final Map<String, ChildDaemon.Run> fromAdmin = new LinkedHashMap<>();
    static final Map<String, ChildDaemon.Run> fromAuditLog = new LinkedHashMap<>();
    static List<JsonNode> requestLines;
    static List<JsonNode> agentLines;
    static int recordedBeforeStop;

    @BeforeAll
    static void runTrafficThenStop() throws Exception {
        fx = DaemonFixture.start(dir);

        // tito: two injected requests on one tunnel, a Host-spoof (421) and an opaque tunnel.
        Curl.Result two = fx.curlAs(TITO, "https://" + CLOUDFLARE + "/client/v4/zones?page=1", "https://" + CLOUDFLARE + "/client/v4/zones/abc");
        assertThat(two.exitCode()).as(two.stderr()).isZero();
        assertThat(fx.curlAs(TITO, "-H", "Host: " + EVIL, "https://" + CLOUDFLARE + "/").status()).isEqualTo(421);
        assertThat(fx.curlTrusting(fx.upstreamCaPem, "--proxy-user", TITO + ":", "https://" + EVIL + "/").status()).isEqualTo(200);
        // places-app: one injected POST, an upstream it cannot trust (502), a tunnel that cannot connect (502).
        assertThat(fx.curlAs(PLACES, "-d", "{}", "https://" + GOOGLE + "/v1/places:searchText").status()).isEqualTo(200);
        assertThat(fx.curlAs(PLACES, "https://" + UNTRUSTED + "/v1").status()).isEqualTo(502);
        fx.curlTrusting(fx.upstreamCaPem, "--proxy-user", PLACES + ":", "https://" + TUNNEL_DOWN + "/");
        // No Proxy-Authorization: the app is 'unknown'.
        assertThat(fx.curl("http://" + NO_RULE_PLAIN + "/plain?q=1").status()).isEqualTo(200);
        // What the agents report.
        String batch = AgentEventJson.toJsonArray(List.of(
                AgentEvent.instrumented(0, TITO, "okhttp"),
                AgentEvent.socket(AgentEventKind.SOCKET_BLOCKED, 0, TITO, "java.net.Socket", "smtp.example", 25, "com.example.Mailer.send"),
                AgentEvent.socket(AgentEventKind.SOCKET_TUNNELED, 0, PLACES, "java.nio.channels.SocketChannel", "db.example", 5432,
                        "com.example.Db.connect")));
        HttpResponse<String> posted = admin(HttpRequest.newBuilder(adminUri("/events")).POST(HttpRequest.BodyPublishers.ofString(batch)));
        assertThat(posted.statusCode()).isEqualTo(202);

        assertThat(fx.awaitEvents(REQUEST_EVENTS)).hasSize(REQUEST_EVENTS);
        // A tunnel still open when the daemon stops.
        RawClient lateTunnel = fx.raw();
        lateTunnel.send("CONNECT " + PASSTHROUGH + ":443 HTTP/1.1\r\nHost: " + PASSTHROUGH + ":443\r\nProxy-Authorization: "
                + new ProxyIdentity(LATE, "").toHeaderValue() + "\r\n\r\n");
        assertThat(lateTunnel.readResponse().status()).isEqualTo(200);
        metricsText = awaitMetric("credproxy_connections_active", 1);

        liveReport = JSON.readValue(admin(HttpRequest.newBuilder(adminUri("/report"))).body(), Report.class);
        for (String format : List.of("table", "json", "html")) {
            fromAdmin.put(format, ChildDaemon.run(List.of("report", "--admin", fx.adminAddress(), "--format", format)));
        }

        recordedBeforeStop = fx.events.size();
        fx.daemon.close(); // the open tunnel is closed and recorded as the event loops stop
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(fx.auditLog)) {
            lines.add(JSON.readTree(line));
        }
        lateTunnel.close();
        requestLines = lines.stream().filter(l -> l.path("type").asText().equals("request")).toList();
        agentLines = lines.stream().filter(l -> l.path("type").asText().equals("agent")).toList();
        for (String format : List.of("table", "json", "html")) {
            fromAuditLog.put(format, ChildDaemon.run(List.of("report", "--audit-log", fx.auditLog.toString(), "--format", format)));
        }
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void theAuditLogHasOneLinePerRequestAndTunnelWithTheRightFields() {
        assertThat(recordedBeforeStop).isEqualTo(REQUEST_EVENTS);
        assertThat(requestLines).as("every request and tunnel, and the tunnel closed by the stop").hasSize(REQUEST_EVENTS + 1);
        assertThat(agentLines).hasSize(3);

        JsonNode injected = line(TITO, CLOUDFLARE, "/client/v4/zones");
        assertThat(injected.get("method").asText()).isEqualTo("GET");
        assertThat(injected.get("scheme").asText()).isEqualTo("https");
        assertThat(injected.get("port").asInt()).isEqualTo(443);
        assertThat(injected.get("decision").asText()).isEqualTo("injected");
        assertThat(injected.get("secretNames").toString()).isEqualTo("[\"CLOUDFLARE_D1_API_TOKEN\"]");
        assertThat(injected.get("status").asInt()).isEqualTo(200);
        assertThat(injected.get("client").asText()).startsWith("127.0.0.1:");
        assertThat(injected.get("bytesDown").asLong()).isPositive();
        assertThat(injected.get("timeMillis").asLong()).isPositive();
        assertThat(injected.has("durationMillis")).isTrue();
        assertThat(line(TITO, CLOUDFLARE, "/client/v4/zones/abc").get("decision").asText()).isEqualTo("injected");

        JsonNode denied = line(TITO, CLOUDFLARE, "/");
        assertThat(denied.get("decision").asText()).isEqualTo("denied");
        assertThat(denied.get("status").asInt()).isEqualTo(421);
        assertThat(denied.get("secretNames").size()).isZero();
        assertThat(denied.get("reason").asText()).isNotBlank();

        JsonNode tunnel = line(TITO, EVIL, null);
        assertThat(tunnel.get("method").asText()).isEqualTo("CONNECT");
        assertThat(tunnel.get("scheme").asText()).isEqualTo("tunnel");
        assertThat(tunnel.get("decision").asText()).isEqualTo("tunnel");
        assertThat(tunnel.get("status").asInt()).isZero();
        assertThat(tunnel.get("bytesUp").asLong()).isPositive();
        assertThat(tunnel.get("bytesDown").asLong()).isPositive();

        JsonNode post = line(PLACES, GOOGLE, "/v1/places:searchText");
        assertThat(post.get("method").asText()).isEqualTo("POST");
        assertThat(post.get("secretNames").toString()).isEqualTo("[\"GOOGLE_PLACES_API_KEY\"]");
        assertThat(post.get("bytesUp").asLong()).isEqualTo(2);

        JsonNode untrusted = line(PLACES, UNTRUSTED, "/v1");
        assertThat(untrusted.get("decision").asText()).isEqualTo("error");
        assertThat(untrusted.get("status").asInt()).isEqualTo(502);
        assertThat(untrusted.get("reason").asText()).isEqualTo("upstream certificate not trusted for " + UNTRUSTED);
        assertThat(untrusted.get("secretNames").size()).as("nothing was sent, so no secret was used").isZero();

        JsonNode down = line(PLACES, TUNNEL_DOWN, null);
        assertThat(down.get("scheme").asText()).isEqualTo("tunnel");
        assertThat(down.get("decision").asText()).isEqualTo("error");
        assertThat(down.get("status").asInt()).isEqualTo(502);

        JsonNode plain = line(ProxyIdentity.UNKNOWN_APP, NO_RULE_PLAIN, "/plain");
        assertThat(plain.get("scheme").asText()).isEqualTo("http");
        assertThat(plain.get("port").asInt()).isEqualTo(80);
        assertThat(plain.get("decision").asText()).isEqualTo("passthrough");

        JsonNode late = line(LATE, PASSTHROUGH, null);
        assertThat(late.get("decision").asText()).isEqualTo("tunnel");

        assertThat(agentLines).anySatisfy(a -> {
            assertThat(a.get("kind").asText()).isEqualTo("socket_blocked");
            assertThat(a.get("app").asText()).isEqualTo(TITO);
            assertThat(a.get("frame").asText()).isEqualTo("com.example.Mailer.send");
            assertThat(a.get("timeMillis").asLong()).as("stamped on arrival").isPositive();
        });
    }

    @Test
    void theLiveReportHasPerAppPerDestinationCountsDecisionsAndSecretNames() {
        assertThat(liveReport.source()).isEqualTo("daemon");
        assertThat(liveReport.requests()).isEqualTo(REQUEST_EVENTS);
        assertThat(liveReport.apps()).extracting(AppReport::app).containsExactlyInAnyOrder(TITO, PLACES, ProxyIdentity.UNKNOWN_APP);

        AppReport tito = app(liveReport, TITO);
        assertThat(tito.requests()).isEqualTo(4);
        assertThat(tito.decisions()).isEqualTo(Map.of("injected", 2L, "denied", 1L, "tunnel", 1L));
        assertThat(tito.instrumentedClients()).containsExactly("okhttp");
        DestinationReport cloudflare = destination(tito, CLOUDFLARE);
        assertThat(cloudflare.port()).isEqualTo(443);
        assertThat(cloudflare.requests()).isEqualTo(3);
        assertThat(cloudflare.decisions()).isEqualTo(Map.of("injected", 2L, "denied", 1L));
        assertThat(cloudflare.statuses()).isEqualTo(Map.of("200", 2L, "421", 1L));
        assertThat(cloudflare.secretNames()).containsExactly("CLOUDFLARE_D1_API_TOKEN");
        DestinationReport evil = destination(tito, EVIL);
        assertThat(evil.decisions()).isEqualTo(Map.of("tunnel", 1L));
        assertThat(evil.statuses()).isEqualTo(Map.of("0", 1L));
        assertThat(evil.secretNames()).isEmpty();
        assertThat(tito.bypasses()).singleElement().satisfies(b -> {
            assertThat(b.kind()).isEqualTo("socket_blocked");
            assertThat(b.host() + ":" + b.port()).isEqualTo("smtp.example:25");
            assertThat(b.frame()).isEqualTo("com.example.Mailer.send");
        });

        AppReport places = app(liveReport, PLACES);
        assertThat(places.decisions()).isEqualTo(Map.of("injected", 1L, "error", 2L));
        assertThat(destination(places, GOOGLE).secretNames()).containsExactly("GOOGLE_PLACES_API_KEY");
        assertThat(destination(places, UNTRUSTED).statuses()).isEqualTo(Map.of("502", 1L));
        assertThat(destination(places, TUNNEL_DOWN).decisions()).isEqualTo(Map.of("error", 1L));
        assertThat(places.bypasses()).extracting(BypassReport::kind, BypassReport::host).containsExactly(
                org.assertj.core.groups.Tuple.tuple("socket_tunneled", "db.example"));

        AppReport unknown = app(liveReport, ProxyIdentity.UNKNOWN_APP);
        assertThat(destination(unknown, NO_RULE_PLAIN).port()).isEqualTo(80);
        assertThat(unknown.decisions()).isEqualTo(Map.of("passthrough", 1L));
    }

    @Test
    void metricsCountRequestsByAppHostDecisionAndStatusAndTheServersState() {
        assertThat(value("credproxy_requests_total{app=\"tito\",decision=\"injected\",host=\"api.cloudflare.com\",status=\"200\"}")).isEqualTo(2);
        assertThat(value("credproxy_requests_total{app=\"tito\",decision=\"denied\",host=\"api.cloudflare.com\",status=\"421\"}")).isEqualTo(1);
        assertThat(value("credproxy_requests_total{app=\"tito\",decision=\"tunnel\",host=\"evil.example\",status=\"0\"}")).isEqualTo(1);
        assertThat(value("credproxy_requests_total{app=\"places-app\",decision=\"error\",host=\"untrusted.test\",status=\"502\"}")).isEqualTo(1);
        assertThat(value("credproxy_requests_total{app=\"unknown\",decision=\"passthrough\",host=\"no-rule.test\",status=\"200\"}")).isEqualTo(1);
        assertThat(value("credproxy_agent_events_total{app=\"tito\",kind=\"socket_blocked\"}")).isEqualTo(1);
        assertThat(value("credproxy_connections_active")).as("the late tunnel's client").isEqualTo(1);
        assertThat(value("credproxy_certificate_cache_size")).as("cloudflare, places, untrusted").isEqualTo(3);
        assertThat(value("credproxy_certificates_minted_total")).isEqualTo(3);
        assertThat(value("credproxy_errors_total{kind=\"upstream_tls\"}")).isEqualTo(1);
        assertThat(value("credproxy_errors_total{kind=\"upstream_connect\"}")).isEqualTo(1);
        assertThat(value("credproxy_errors_total{kind=\"bad_request\"}")).isZero();
        assertThat(value("credproxy_audit_dropped_total")).isZero();
    }

    @Test
    void credproxyReportFromTheLiveDaemonShowsTheLiveReport() throws Exception {
        fromAdmin.values().forEach(run -> assertThat(run.exitCode()).as(run.stderr()).isZero());

        Report cli = JSON.readValue(fromAdmin.get("json").stdout(), Report.class);
        assertThat(cli.apps()).isEqualTo(liveReport.apps());
        assertThat(fromAdmin.get("table").stdout()).contains("3 apps, 8 requests").contains("(source: daemon")
                .containsPattern("api\\.cloudflare\\.com:443 +3 +2 +0 +0 +1 +0 +200:2 421:1 .*CLOUDFLARE_D1_API_TOKEN")
                .containsPattern("!! BLOCKED +smtp\\.example:25 +1 +com\\.example\\.Mailer\\.send");
        assertThat(fromAdmin.get("html").stdout()).startsWith("<!DOCTYPE html>").contains("data-app=\"tito\"")
                .contains("data-app=\"places-app\"").contains("GOOGLE_PLACES_API_KEY");
    }

    @Test
    void credproxyReportFromTheAuditLogAgreesWithTheLiveReport() throws Exception {
        fromAuditLog.values().forEach(run -> {
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stderr()).as("no line skipped: every line is whole").isEmpty();
        });

        Report fromLog = JSON.readValue(fromAuditLog.get("json").stdout(), Report.class);
        assertThat(fromLog.source()).isEqualTo("audit-log");
        assertThat(fromLog.requests()).isEqualTo(REQUEST_EVENTS + 1);
        assertThat(fromLog.apps().stream().filter(a -> !a.app().equals(LATE)).toList())
                .containsExactlyInAnyOrderElementsOf(liveReport.apps());
        assertThat(app(fromLog, LATE).decisions()).isEqualTo(Map.of("tunnel", 1L));
        // The per-app sections of the table are the same text, whichever source they came from.
        String liveTable = fromAdmin.get("table").stdout();
        String logTable = fromAuditLog.get("table").stdout();
        for (String app : List.of(TITO, PLACES, ProxyIdentity.UNKNOWN_APP)) {
            assertThat(section(logTable, app)).isNotEmpty().isEqualTo(section(liveTable, app));
        }
        assertThat(fromAuditLog.get("html").stdout()).contains("data-app=\"" + LATE + "\"").contains("CLOUDFLARE_D1_API_TOKEN");
    }

    @Test
    void aSigtermFlushesTheAuditLogWithATunnelStillOpen(@TempDir Path childDir) throws Exception {
        try (DaemonFixture child = DaemonFixture.withoutDaemon(childDir)) {
            ChildDaemon daemon = child.startChild(List.of());
            assertThat(child.curlAs(TITO, "https://" + CLOUDFLARE + "/client/v4/zones").status()).isEqualTo(200);
            try (RawClient open = child.raw()) {
                open.send("CONNECT " + PASSTHROUGH + ":443 HTTP/1.1\r\nHost: " + PASSTHROUGH + ":443\r\nProxy-Authorization: "
                        + new ProxyIdentity(LATE, "").toHeaderValue() + "\r\n\r\n");
                assertThat(open.readResponse().status()).isEqualTo(200);

                daemon.stop();
            }

            assertThat(daemon.stdout() + daemon.stderr()).contains("credproxy stopped");
            List<String> lines = Files.readAllLines(child.auditLog);
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).contains("\"app\":\"tito\"").contains("\"decision\":\"injected\"");
            assertThat(lines.get(1)).contains("\"app\":\"late-app\"").contains("\"decision\":\"tunnel\"");
        }
    }

    private static JsonNode line(String app, String host, String path) {
        List<JsonNode> found = requestLines.stream()
                .filter(l -> l.get("app").asText().equals(app) && l.get("host").asText().equals(host))
                .filter(l -> path == null ? !l.has("path") : l.path("path").asText().equals(path))
                .toList();
        assertThat(found).as("audit line for %s %s %s", app, host, path).hasSize(1);
        return found.get(0);
    }

    private static AppReport app(Report report, String name) {
        return report.apps().stream().filter(a -> a.app().equals(name)).findFirst().orElseThrow();
    }

    private static DestinationReport destination(AppReport app, String host) {
        return app.destinations().stream().filter(d -> d.host().equals(host)).findFirst().orElseThrow();
    }

    /** The table's section for one app: from its {@code == app ==} line to the next section. */
    private static String section(String table, String app) {
        int start = table.indexOf("== " + app + " ==");
        if (start < 0) {
            return "";
        }
        int end = table.indexOf("\n== ", start);
        return table.substring(start, end < 0 ? table.length() : end).strip();
    }

    private static double value(String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metricsText);
        assertThat(m.find()).as("series %s in /metrics", series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** Scrapes /metrics until {@code series} has {@code expected} (connections close asynchronously). */
    private static String awaitMetric(String series, double expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String text;
        do {
            text = admin(HttpRequest.newBuilder(adminUri("/metrics"))).body();
            Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
            if (m.find() && Double.parseDouble(m.group(1)) == expected) {
                return text;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return text;
    }

    private static URI adminUri(String path) {
        return URI.create("http://" + fx.adminAddress() + path);
    }

    private static HttpResponse<String> admin(HttpRequest.Builder request) throws Exception {
        return DIRECT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
