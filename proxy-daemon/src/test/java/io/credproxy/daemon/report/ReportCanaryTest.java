package io.credproxy.daemon.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.admin.AdminResponse;
import io.credproxy.daemon.admin.EventsEndpoint;
import io.credproxy.daemon.admin.MetricsEndpoint;
import io.credproxy.daemon.admin.ReportEndpoint;
import io.credproxy.daemon.audit.AuditLog;
import io.credproxy.daemon.audit.AuditLogSettings;
import io.credproxy.daemon.audit.CompositeAuditSink;
import io.credproxy.daemon.cli.ReportCommand;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.AuditRecorder;
import io.credproxy.daemon.secrets.Redactor;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.daemon.testing.AdminCalls;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventJson;
import io.credproxy.protocol.wire.AgentEventKind;
import io.credproxy.testing.Canaries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Feeds traffic that uses secrets with random canary values through everything this issue writes
 * (audit log, live aggregates, metrics, /events, every report format, from the daemon and from the
 * log) and searches each output's bytes for the values, raw, URL-encoded and Base64-encoded.
 *
 * <p>Some events carry a value where it should never be (a path, an error reason, an agent's frame
 * and host), as a bug or a hostile app might: those routes are covered by the redactor.
 */
class ReportCanaryTest {
    @TempDir
    Path dir;

    @Test
    void noCanaryValueAppearsInAnyOutput() throws Exception {
        Map<String, String> canaries = Canaries.values("CLOUDFLARE_D1_API_TOKEN", "GOOGLE_PLACES_API_KEY", "TELEGRAM_BOT_TOKEN");
        Redactor redactor = new Redactor(new Secrets("canary-test", canaries));
        String telegram = canaries.get("TELEGRAM_BOT_TOKEN");
        String cloudflare = canaries.get("CLOUDFLARE_D1_API_TOKEN");
        String places = canaries.get("GOOGLE_PLACES_API_KEY");

        Path log = dir.resolve("audit.jsonl");
        ReportAggregator aggregator = ReportAggregator.forDaemon();
        ProxyMetrics metrics = new ProxyMetrics();
        AuditLog audit = AuditLog.open(new AuditLogSettings(log, 4096, 3, 1000, 1000));
        metrics.bindAuditDrops(audit::dropped);
        CompositeAuditSink sink = new CompositeAuditSink(List.of(audit, aggregator, metrics), kind -> metrics.recordError("audit_sink"));
        EventsEndpoint events = new EventsEndpoint(sink, redactor::redact);
        // Request events reach the sinks the way the daemon sends them: through the recorder's redaction pass.
        AuditRecorder recorder = new AuditRecorder(sink);

        long t = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < 20; i++) { // enough lines to rotate the 4 KiB log: rotated files are searched too
            recorder.record(event(t + i, "tito", "api.cloudflare.com", "/client/v4/zones", Decision.INJECTED,
                    List.of("CLOUDFLARE_D1_API_TOKEN"), 200, null), redactor);
        }
        recorder.record(event(t + 30, "tito", "api.telegram.org", "/bot" + telegram + "/getMe", Decision.INJECTED,
                List.of("TELEGRAM_BOT_TOKEN"), 200, null), redactor);
        recorder.record(event(t + 31, "places-app", "places.googleapis.com", "/v1/places", Decision.ERROR,
                List.of("GOOGLE_PLACES_API_KEY"), 502, "upstream echoed " + URLEncoder.encode(places, StandardCharsets.UTF_8)
                        + " and " + Base64.getEncoder().encodeToString(cloudflare.getBytes(StandardCharsets.UTF_8))), redactor);
        String batch = AgentEventJson.toJsonArray(List.of(
                AgentEvent.instrumented(t + 40, "tito", "okhttp"),
                AgentEvent.socket(AgentEventKind.SOCKET_BLOCKED, t + 41, "tito", "java.net.Socket", "smtp.example", 25,
                        "com.example.Leaky." + telegram),
                AgentEvent.socket(AgentEventKind.SOCKET_TUNNELED, t + 42, "tito", "java.net.Socket", cloudflare + ".example", 443,
                        "com.example.Db.connect")));
        assertThat(events.handle(AdminCalls.post("/events", batch)).status()).isEqualTo(202);
        audit.close();

        Map<String, byte[]> outputs = new LinkedHashMap<>();
        for (Path file : AuditLogReader.files(log)) {
            outputs.put("audit log " + file.getFileName(), Files.readAllBytes(file));
        }
        assertThat(outputs).hasSizeGreaterThan(1);
        AdminResponse report = new ReportEndpoint(aggregator).handle(AdminCalls.get("/report"));
        outputs.put("GET /report", report.body());
        outputs.put("GET /metrics", new MetricsEndpoint(metrics).handle(AdminCalls.get("/metrics")).body());
        for (ReportFormat format : ReportFormat.values()) {
            StringWriter live = new StringWriter();
            format.renderer().render(aggregator.snapshot(), live, true);
            outputs.put("live " + format.optionName(), live.toString().getBytes(StandardCharsets.UTF_8));
            Path file = dir.resolve("report." + format.optionName());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new ReportCommand());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            assertThat(cli.execute("--audit-log", log.toString(), "--format", format.optionName(), "--output", file.toString())).isZero();
            outputs.put("credproxy report --format " + format.optionName(), Files.readAllBytes(file));
            outputs.put("credproxy report output streams " + format.optionName(), (out + "" + err).getBytes(StandardCharsets.UTF_8));
        }

        // The traffic did flow through: names are there, and the leaked values were replaced.
        assertThat(text(outputs.get("GET /report"))).contains("TELEGRAM_BOT_TOKEN").contains("api.telegram.org")
                .contains("com.example.Leaky.[redacted:TELEGRAM_BOT_TOKEN]");
        assertThat(outputs.entrySet().stream().filter(e -> e.getKey().startsWith("audit log")).map(e -> text(e.getValue())))
                .anySatisfy(t2 -> assertThat(t2).contains("/bot[redacted:TELEGRAM_BOT_TOKEN]/getMe"));
        assertThat(text(outputs.get("credproxy report --format html"))).contains("GOOGLE_PLACES_API_KEY");
        // And no output holds a value in any encoding.
        for (Map.Entry<String, byte[]> output : outputs.entrySet()) {
            String content = text(output.getValue());
            for (Map.Entry<String, String> secret : canaries.entrySet()) {
                for (String form : forms(secret.getValue())) {
                    if (content.contains(form)) {
                        // Name the output and the secret, never the value.
                        throw new AssertionError(output.getKey() + " holds the value of " + secret.getKey());
                    }
                }
            }
        }
    }

    private static AuditEvent event(long time, String app, String host, String path, Decision decision,
                                    List<String> secrets, int status, String reason) {
        return new AuditEvent(time, app, "127.0.0.1:40000", "GET", "https", host, 443, path, decision, secrets, status,
                100, 1000, 12, reason);
    }

    private static List<String> forms(String value) {
        return List.of(value, URLEncoder.encode(value, StandardCharsets.UTF_8),
                Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
