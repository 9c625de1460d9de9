package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon's logging options: {@code --log-format json} writes one JSON object a line
 * (start-up, access and debug lines alike; the access line's fields also as separate members of
 * {@code kvpList}) with no secret in it; under systemd every line carries
 * its journald priority; {@code --log-level} sets what is written; bad values exit 2.
 */
class LoggingIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private List<JsonNode> jsonLines(String stderr) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stderr.lines().filter(l -> !l.isBlank()).toList()) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            lines.add(node);
        }
        return lines;
    }

    /** The access line's key-values: {@code kvpList} is an array of one-member objects. */
    private static Map<String, String> fields(JsonNode line) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode list = line.get("kvpList");
        if (list != null) {
            list.forEach(pair -> pair.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText())));
        }
        return out;
    }

    @Test
    void jsonIsOneObjectALineWithFieldsAndNoSecret() throws Exception {
        try (DaemonFixture fx = DaemonFixture.withoutDaemon(dir)) {
            ChildDaemon child = ChildDaemon.start(fx.configFile, fx.outDir, List.of(), List.of("--log-format", "json", "--log-level", "debug"), false);
            try {
                fx.adopt(child);
                assertThat(fx.curl("https://" + CLOUDFLARE + "/logged").status()).isEqualTo(200);
                // A client that puts the real secret into its path: the line and its fields show it redacted.
                assertThat(fx.curl("https://" + CLOUDFLARE + "/logged/" + fx.secret("CLOUDFLARE_D1_API_TOKEN")).status()).isEqualTo(200);
            } finally {
                child.stop();
            }

            List<JsonNode> lines = jsonLines(child.stderr());
            assertThat(lines).isNotEmpty().allSatisfy(l -> {
                assertThat(l.get("timestamp").asLong()).isPositive();
                assertThat(l.get("level").asText()).isIn("ERROR", "WARN", "INFO", "DEBUG", "TRACE");
                assertThat(l.get("loggerName").asText()).isNotEmpty();
                assertThat(l.has("formattedMessage")).isTrue();
            });
            assertThat(lines).anySatisfy(l -> assertThat(l.get("formattedMessage").asText()).startsWith("credproxy started: proxy on"));
            assertThat(lines).anySatisfy(l -> {
                assertThat(l.get("loggerName").asText()).isEqualTo("io.credproxy.access");
                assertThat(l.get("formattedMessage").asText()).contains("/logged", "secrets=CLOUDFLARE_D1_API_TOKEN");
                assertThat(fields(l)).containsEntry("host", CLOUDFLARE).containsEntry("port", "443").containsEntry("path", "/logged")
                        .containsEntry("decision", "injected").containsEntry("status", "200").containsEntry("method", "GET")
                        .containsEntry("scheme", "https").containsEntry("secretNames", "CLOUDFLARE_D1_API_TOKEN")
                        .containsKeys("app", "client", "durationMillis", "bytesUp", "bytesDown");
            });
            assertThat(lines).anySatisfy(l -> assertThat(fields(l))
                    .containsEntry("path", "/logged/[redacted:CLOUDFLARE_D1_API_TOKEN]"));
            assertThat(lines).anySatisfy(l -> assertThat(l.get("level").asText()).isEqualTo("DEBUG"));
            assertThat(child.stderr() + child.stdout()).doesNotContain(fx.secrets.values());
        }
    }

    @Test
    void underSystemdEveryLineCarriesItsJournalPriority() throws Exception {
        try (DaemonFixture fx = DaemonFixture.withoutDaemon(dir)) {
            ChildDaemon child = ChildDaemon.start(fx.configFile, fx.outDir, List.of(), List.of(), true);
            child.stop();

            List<String> lines = child.stderr().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).isNotEmpty().allMatch(l -> l.matches("<[0-7]>.*"));
            assertThat(lines).anyMatch(l -> l.startsWith("<6>INFO  Daemon - credproxy started: proxy on"));
        }
    }

    @Test
    void logLevelWarnLeavesTheStartLineOutAndPlainTextHasNoPrefix() throws Exception {
        try (DaemonFixture fx = DaemonFixture.withoutDaemon(dir)) {
            ChildDaemon quiet = ChildDaemon.start(fx.configFile, fx.outDir, List.of(), List.of("--log-level", "WARN"), false);
            quiet.stop();
            ChildDaemon plain = ChildDaemon.start(fx.configFile, fx.outDir, List.of(), List.of(), false);
            plain.stop();

            assertThat(quiet.stderr()).doesNotContain("credproxy started");
            assertThat(plain.stderr()).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\S+ INFO  Daemon - credproxy started: proxy on");
        }
    }

    @Test
    void badLoggingOptionsExitTwoNamingTheProblem() throws Exception {
        ChildDaemon.Run format = ChildDaemon.run(List.of("daemon", "--config", "x.yaml", "--log-format", "xml"));
        ChildDaemon.Run level = ChildDaemon.run(List.of("daemon", "--config", "x.yaml", "--log-level", "loud"));

        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.stderr()).contains("log format must be text or json, not 'xml'");
        assertThat(level.exitCode()).isEqualTo(2);
        assertThat(level.stderr()).contains("log level must be error, warn, info, debug or trace, not 'loud'");
    }
}
