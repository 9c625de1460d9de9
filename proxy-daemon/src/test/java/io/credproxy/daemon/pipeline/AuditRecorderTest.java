package io.credproxy.daemon.pipeline;

import static io.credproxy.daemon.pipeline.Exchanges.CF_TOKEN;
import static io.credproxy.daemon.pipeline.Exchanges.request;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.credproxy.daemon.audit.AuditLog;
import io.credproxy.daemon.secrets.Redactor;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class AuditRecorderTest {
    @Test
    void theLineHoldsWhatAnOperatorNeedsAndNoQuery() {
        AuditEvent event = new AuditEvent(0, "tito", "127.0.0.1:5", "GET", "https", "api.cloudflare.com", 443, "/v4/zones",
                Decision.INJECTED, List.of("CF"), 200, 10, 20, 7, null);

        assertThat(AuditRecorder.line(event)).isEqualTo(
                "app=tito client=127.0.0.1:5 GET https://api.cloudflare.com:443/v4/zones decision=injected status=200 ms=7 up=10 down=20 secrets=CF");
    }

    @Test
    void aDenialShowsItsReason() {
        AuditEvent event = new AuditEvent(0, "unknown", "127.0.0.1:5", "GET", "https", "api.cloudflare.com", 443, "/",
                Decision.DENIED, List.of(), 421, 0, 0, 0, "Host header does not match the CONNECT target");

        assertThat(AuditRecorder.line(event)).endsWith("status=421 ms=0 up=0 down=0 reason=\"Host header does not match the CONNECT target\"");
    }

    @Test
    void aSecretInTheClientsPathIsRedactedAndControlCharactersEscaped() {
        List<AuditEvent> events = new ArrayList<>();
        Exchange ex = Exchanges.plain("other.test:80", request("GET", "/leak/" + CF_TOKEN + "\u001b[2J?q=" + CF_TOKEN));

        new AuditRecorder(events::add).record(ex);

        assertThat(events).singleElement().satisfies(e ->
                assertThat(e.path()).isEqualTo("/leak/[redacted:CF]\\x1b[2J"));
    }

    @Test
    void secretValuesThatReachedFreeTextFieldsByAccidentAreRedactedOnTheWayToTheAuditLog(@TempDir Path dir) throws Exception {
        String canary = "canary-" + UUID.randomUUID();
        Redactor redactor = new Redactor(new Secrets("test", Map.of("TELEGRAM_BOT_TOKEN", canary)));
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            AuditRecorder recorder = new AuditRecorder(log);
            recorder.record(new AuditEvent(1, "tito", "127.0.0.1:1", "GET", "https", "api.telegram.org", 443,
                    "/bot" + canary + "/getMe", Decision.INJECTED, List.of("TELEGRAM_BOT_TOKEN"), 200, 1, 1, 1, null), redactor);
            recorder.record(new AuditEvent(2, "tito", "127.0.0.1:1", "GET", "https", "api.telegram.org", 443,
                    "/", Decision.ERROR, List.of(), 502, 0, 0, 1, "upstream said " + URLEncoder.encode(canary, StandardCharsets.UTF_8)),
                    redactor);
            recorder.record(new AuditEvent(3, "app-" + canary, "127.0.0.1:1", "CONNECT", "tunnel", canary + ".example", 443,
                    null, Decision.TUNNEL, List.of(), 0, 0, 0, 1, null), redactor);
        }

        String text = Files.readString(file);
        assertThat(text).doesNotContain(canary).contains("[redacted:TELEGRAM_BOT_TOKEN]").contains("\"TELEGRAM_BOT_TOKEN\"");
        assertThat(Files.readAllLines(file)).hasSize(3);
    }

    @Test
    void theAccessLogCarriesItsFieldsAsKeyValuesAndTheLineUnchanged() {
        String canary = "canary-" + UUID.randomUUID();
        Redactor redactor = new Redactor(new Secrets("test", Map.of("CF", canary)));
        ListAppender<ILoggingEvent> access = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(AuditRecorder.ACCESS_LOGGER);
        access.start();
        logger.addAppender(access);
        try {
            AuditEvent raw = new AuditEvent(0, "tito", "127.0.0.1:5", "GET", "https", "api.cloudflare.com", 443,
                    "/v4/" + canary, Decision.INJECTED, List.of("CF", "CF2"), 200, 10, 20, 7, null);
            new AuditRecorder(e -> { }).record(raw, redactor);
            new AuditRecorder(e -> { }).record(new AuditEvent(0, "tito", "127.0.0.1:5", "CONNECT", "tunnel", "x.test", 443,
                    null, Decision.DENIED, List.of(), 403, 0, 0, 1, "egress refused " + canary), redactor);
        } finally {
            logger.detachAppender(access);
        }

        assertThat(access.list).hasSize(2);
        ILoggingEvent injected = access.list.get(0);
        assertThat(injected.getFormattedMessage()).isEqualTo("app=tito client=127.0.0.1:5 GET https://api.cloudflare.com:443/v4/[redacted:CF]"
                + " decision=injected status=200 ms=7 up=10 down=20 secrets=CF,CF2");
        assertThat(fields(injected)).containsExactly(
                Map.entry("app", "tito"), Map.entry("client", "127.0.0.1:5"), Map.entry("method", "GET"),
                Map.entry("scheme", "https"), Map.entry("host", "api.cloudflare.com"), Map.entry("port", "443"),
                Map.entry("path", "/v4/[redacted:CF]"), Map.entry("decision", "injected"), Map.entry("status", "200"),
                Map.entry("durationMillis", "7"), Map.entry("bytesUp", "10"), Map.entry("bytesDown", "20"),
                Map.entry("secretNames", "CF,CF2"));
        Map<String, String> denied = fields(access.list.get(1));
        assertThat(denied).doesNotContainKey("path").doesNotContainKey("secretNames")
                .containsEntry("reason", "egress refused [redacted:CF]");
        assertThat(access.list).allSatisfy(e -> assertThat(e.getFormattedMessage() + fields(e)).doesNotContain(canary));
    }

    private static Map<String, String> fields(ILoggingEvent event) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (event.getKeyValuePairs() != null) {
            event.getKeyValuePairs().forEach(kv -> out.put(kv.key, String.valueOf(kv.value)));
        }
        return out;
    }

    @Test
    void longPathsAreCut() {
        assertThat(AuditRecorder.printable("x".repeat(600), AuditRecorder.MAX_PATH_LENGTH)).hasSize(AuditRecorder.MAX_PATH_LENGTH + 3);
    }
}
