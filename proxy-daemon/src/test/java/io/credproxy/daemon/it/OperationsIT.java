package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static io.credproxy.daemon.it.DaemonFixture.EVIL;
import static io.credproxy.daemon.it.DaemonFixture.PASSTHROUGH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credproxy.daemon.Daemon;
import io.credproxy.daemon.buildinfo.BuildInfo;
import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.daemon.testing.ShortLivedCa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator watches, on the packaged daemon: {@code /metrics} after real traffic (every
 * series the operations issue names, checked by {@code promtool check metrics}), {@code /readyz}
 * through a refused reload and a CA that expires while the daemon runs.
 */
class OperationsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient DIRECT = HttpClient.newHttpClient();
    /** Where .ci/run unpacks Debian's promtool when none is on the PATH. */
    private static final Path CI_PROMTOOL = Path.of("/opt/credproxy-ci/prometheus/usr/bin/promtool");

    @TempDir
    Path dir;

    @Test
    void aScrapeAfterTrafficHasEverySeriesMovingAndPassesPromtool() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (DaemonFixture fx = DaemonFixture.withoutDaemon(dir)) {
            ChildDaemon child = fx.startChild(List.of());
            fx.startTest();
            String app = fx.app("ops");
            assertThat(fx.curlAs(app, "https://" + CLOUDFLARE + "/a").status()).isEqualTo(200);
            assertThat(fx.curlAs(app, "https://" + CLOUDFLARE + "/b").status()).isEqualTo(200);
            assertThat(fx.curlAs(app, "-H", "Host: " + EVIL, "https://" + CLOUDFLARE + "/").status()).isEqualTo(421);
            assertThat(fx.curlTrusting(fx.upstreamCaPem, "--proxy-user", app + ":", "https://" + PASSTHROUGH + "/").status()).isEqualTo(200);
            String injected = "{app=\"" + app + "\",decision=\"injected\"}";
            String scrape = awaitSeries(child, "credproxy_request_duration_seconds_count{app=\"" + app + "\",decision=\"tunnel\"}", 1);

            assertThat(value(scrape, "credproxy_request_duration_seconds_count" + injected)).isEqualTo(2);
            assertThat(value(scrape, "credproxy_request_duration_seconds_bucket{app=\"" + app + "\",decision=\"injected\",le=\"+Inf\"}"))
                    .isEqualTo(2);
            assertThat(value(scrape, "credproxy_request_duration_seconds_sum" + injected)).isPositive().isLessThan(60);
            assertThat(value(scrape, "credproxy_request_duration_seconds_count{app=\"" + app + "\",decision=\"denied\"}")).isEqualTo(1);
            BuildInfo build = BuildInfo.current();
            assertThat(build.version()).isNotEqualTo(BuildInfo.UNKNOWN);
            assertThat(scrape).containsPattern("credproxy_build_info\\{commit=\"[^\"]+\",java_version=\""
                    + Pattern.quote(System.getProperty("java.version")) + "\",version=\"" + Pattern.quote(build.version()) + "\"} 1");
            X509Certificate ca = fx.daemonCa();
            assertThat(value(scrape, "credproxy_ca_not_after_timestamp_seconds")).isEqualTo(ca.getNotAfter().getTime() / 1000.0);
            assertThat(value(scrape, "credproxy_config_reload_failures_total")).isZero();
            assertThat(value(scrape, "credproxy_config_last_reload_success_timestamp_seconds"))
                    .as("the start is the first load").isBetween((double) before.getEpochSecond(), Instant.now().getEpochSecond() + 1.0);
            assertThat(value(scrape, "process_open_fds")).isPositive();
            assertThat(value(scrape, "process_max_fds")).isGreaterThan(value(scrape, "process_open_fds"));
            assertThat(scrape).doesNotContain(fx.secrets.values());
            promtoolAccepts(scrape);
            assertThat(readyz(child).statusCode()).isEqualTo(200);
            child.stop();
        }
    }

    @Test
    void aRefusedReloadIsCountedAndLoggedAndTheDaemonStaysReadyOnTheOldRules() throws Exception {
        try (DaemonFixture fx = DaemonFixture.withoutDaemon(dir)) {
            ChildDaemon child = fx.startChild(List.of());
            fx.startTest();
            String good = Files.readString(fx.configFile);
            double loadedAtStart = value(child.fetch("/metrics"), "credproxy_config_last_reload_success_timestamp_seconds");
            Files.writeString(fx.configFile, good + "  - host: [unclosed\n");

            String broken = awaitSeries(child, "credproxy_config_reload_failures_total", 1);
            HttpResponse<String> readyWhileBroken = readyz(child);
            Curl.Result oldRules = fx.curl("https://" + CLOUDFLARE + "/still-injected");

            assertThat(value(broken, "credproxy_config_last_reload_success_timestamp_seconds")).isEqualTo(loadedAtStart);
            assertThat(readyWhileBroken.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(readyWhileBroken.body()).get("warnings").toString()).isEqualTo("[\"reload_failed\"]");
            assertThat(oldRules.status()).isEqualTo(200);
            assertThat(fx.https.requests()).filteredOn(r -> r.uri().equals("/still-injected")).singleElement()
                    .satisfies(r -> assertThat(r.firstHeader("Authorization")).isEqualTo("Bearer " + fx.secret("CLOUDFLARE_D1_API_TOKEN")));
            assertThat(child.stderr()).containsPattern("ERROR +PolicyReloader - reload after a file change refused, the rules in force"
                    + " stay: config file " + Pattern.quote(fx.configFile.toString()) + ": .*line \\d+");

            Thread.sleep(1100); // the success timestamp must be able to move by a whole second's worth
            Files.writeString(fx.configFile, good + "# fixed\n");
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> JSON.readTree(readyz(child).body()).get("warnings").isEmpty());
            String fixed = child.fetch("/metrics");

            assertThat(value(fixed, "credproxy_config_reload_failures_total")).as("refusals are never reset").isEqualTo(1);
            assertThat(value(fixed, "credproxy_config_last_reload_success_timestamp_seconds")).isGreaterThan(loadedAtStart + 1);
            child.stop();
            assertThat(child.stderr() + child.stdout()).doesNotContain(fx.secrets.values());
        }
    }

    @Test
    void aCaThatExpiresWhileRunningMakesTheDaemonUnreadyAndAnExpiredOneRefusesTheStart() throws Exception {
        try (DaemonFixture fx = DaemonFixture.withoutDaemon(dir)) {
            // The CA must outlive the start and the first check, which take seconds on a loaded machine:
            // time one start (its own CA, then removed), and give the short-lived CA several times that.
            long started = System.nanoTime();
            Daemon.start(new ConfigLoader().load(fx.configFile)).close();
            Duration startTime = Duration.ofNanos(System.nanoTime() - started);
            deleteTree(dir.resolve("ca"));
            Duration life = Duration.ofSeconds(8).plus(startTime.multipliedBy(4));
            Instant notAfter = Instant.now().plus(life).truncatedTo(ChronoUnit.SECONDS);
            ShortLivedCa.write(dir.resolve("ca"), notAfter.minus(Duration.ofHours(1)), notAfter);

            try (Daemon daemon = Daemon.start(new ConfigLoader().load(fx.configFile))) {
                int admin = daemon.adminAddress().getPort();
                HttpResponse<String> valid = get(admin, "/readyz");
                String scrape = get(admin, "/metrics").body();

                assertThat(valid.statusCode()).as("checked %s before %s", Instant.now(), notAfter).isEqualTo(200);
                assertThat(JSON.readTree(valid.body()).get("warnings").toString()).isEqualTo("[\"ca_expires_soon\"]");
                assertThat(value(scrape, "credproxy_ca_not_after_timestamp_seconds")).isEqualTo((double) notAfter.getEpochSecond());

                await().atMost(life.plusSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .until(() -> get(admin, "/readyz").statusCode() == 503);
                JsonNode expired = JSON.readTree(get(admin, "/readyz").body());
                assertThat(expired.get("ready").asBoolean()).isFalse();
                assertThat(expired.get("reasons").toString()).isEqualTo("[\"ca_expired\"]");
                assertThat(get(admin, "/healthz").statusCode()).as("alive, only not ready").isEqualTo(200);
            }

            assertThatThrownBy(() -> Daemon.start(new ConfigLoader().load(fx.configFile)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("CA certificate " + dir.resolve("ca").resolve("ca.pem") + " expired on " + notAfter);
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return DIRECT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> readyz(ChildDaemon child) throws Exception {
        return get(child.adminPort(), "/readyz");
    }

    /** Scrapes until {@code series} reaches {@code atLeast} (events are recorded after the response). */
    private static String awaitSeries(ChildDaemon child, String series, double atLeast) throws Exception {
        String[] last = new String[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = child.fetch("/metrics");
            Matcher m = line(last[0], series);
            return m.find() && Double.parseDouble(m.group(1)) >= atLeast;
        });
        return last[0];
    }

    private static double value(String scrape, String series) {
        Matcher m = line(scrape, series);
        assertThat(m.find()).as("%s in the scrape", series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static Matcher line(String scrape, String series) {
        return Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
    }

    /** {@code promtool check metrics} reads the scrape on stdin: exit 0 and no complaint. */
    private void promtoolAccepts(String scrape) throws Exception {
        String promtool = promtool();
        if (promtool == null) {
            System.out.println("OperationsIT: promtool check metrics SKIPPED: no promtool on the PATH or at " + CI_PROMTOOL
                    + " (.ci/run unpacks it from Debian's prometheus package)");
            return;
        }
        Path input = Files.writeString(dir.resolve("scrape.txt"), scrape);
        Process process = new ProcessBuilder(promtool, "check", "metrics").redirectInput(input.toFile())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("promtool check metrics: %s", out).isZero();
        assertThat(out).isBlank();
    }

    private static String promtool() {
        for (String path : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!path.isEmpty() && Files.isExecutable(Path.of(path, "promtool"))) {
                return Path.of(path, "promtool").toString();
            }
        }
        return Files.isExecutable(CI_PROMTOOL) ? CI_PROMTOOL.toString() : null;
    }
}
