package io.credproxy.daemon.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credproxy.daemon.pipeline.AuditRecorder;
import io.credproxy.daemon.secrets.Redactor;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSetupTest {
    private final LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();

    @TempDir
    Path dir;

    private ILoggingEvent event(Level level, String message, Throwable thrown, Object... args) {
        LoggingEvent e = new LoggingEvent("test", context.getLogger("io.credproxy.access"), level, message, thrown, args);
        e.addKeyValuePair(new org.slf4j.event.KeyValuePair("app", "tito"));
        return e;
    }

    private String encode(LogFormat format, boolean journal, ILoggingEvent event) {
        Encoder<ILoggingEvent> encoder = LogSetup.encoder(context, format, journal);
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void jsonIsOneObjectALineWithFields() throws Exception {
        String line = encode(LogFormat.JSON, false, event(Level.WARN, "refused {} with \"quotes\"\nand a newline", null, "api.example"));

        assertThat(line).endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("WARN");
        assertThat(json.get("loggerName").asText()).isEqualTo("io.credproxy.access");
        assertThat(json.get("formattedMessage").asText()).isEqualTo("refused api.example with \"quotes\"\nand a newline");
        assertThat(json.get("timestamp").asLong()).isPositive();
        assertThat(json.get("kvpList").toString()).contains("\"app\":\"tito\"");
        assertThat(json.has("context")).isFalse();
    }

    /** The access-log event AuditRecorder makes for {@code event}, as an appender receives it. */
    private ILoggingEvent accessEvent(AuditEvent event) {
        ch.qos.logback.classic.Logger access = context.getLogger(AuditRecorder.ACCESS_LOGGER);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        access.addAppender(captured);
        try {
            new AuditRecorder(e -> { }).record(event, new Redactor(new Secrets("test", Map.of())));
        } finally {
            access.detachAppender(captured);
        }
        assertThat(captured.list).hasSize(1);
        return captured.list.get(0);
    }

    @Test
    void aPathWrittenToForgeFieldsStaysOneStringInJsonAndTheTextLineHasNoFieldsAppended() throws Exception {
        // What a hostile client can put in its request line (printable ASCII survives into the path).
        String path = "/x\\\"},{\"decision\":\"injected\"},{\"status\":\"200";
        ILoggingEvent access = accessEvent(new AuditEvent(0, "tito", "127.0.0.1:5", "GET", "https", "api.example", 443, path,
                Decision.DENIED, List.of(), 421, 0, 0, 3, "Host header does not match"));

        JsonNode json = new ObjectMapper().readTree(encode(LogFormat.JSON, false, access));
        List<String> keys = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        json.get("kvpList").forEach(pair -> pair.fields().forEachRemaining(e -> {
            keys.add(e.getKey());
            fields.put(e.getKey(), e.getValue().asText());
        }));
        String text = encode(LogFormat.TEXT, false, access);

        assertThat(keys).containsExactly("app", "client", "method", "scheme", "host", "port", "path", "decision", "status",
                "durationMillis", "bytesUp", "bytesDown", "reason");
        assertThat(fields).containsEntry("path", path).containsEntry("decision", "denied").containsEntry("status", "421");
        assertThat(text).endsWith(" INFO  access - app=tito client=127.0.0.1:5 GET https://api.example:443" + path
                + " decision=denied status=421 ms=3 up=0 down=0 reason=\"Host header does not match\"\n");
    }

    @Test
    void jsonCarriesAnExceptionAsFieldsOnTheSameLine() throws Exception {
        String line = encode(LogFormat.JSON, false, event(Level.ERROR, "failed", new IllegalStateException("boom")));

        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("throwable").get("className").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(json.get("throwable").get("message").asText()).isEqualTo("boom");
    }

    @Test
    void underJournaldEveryLineCarriesItsPriority() {
        assertThat(encode(LogFormat.TEXT, true, event(Level.ERROR, "bad", null))).isEqualTo("<3>ERROR access - bad\n");
        assertThat(encode(LogFormat.TEXT, true, event(Level.WARN, "hm", null))).isEqualTo("<4>WARN  access - hm\n");
        assertThat(encode(LogFormat.TEXT, true, event(Level.INFO, "ok", null))).isEqualTo("<6>INFO  access - ok\n");
        assertThat(encode(LogFormat.TEXT, true, event(Level.DEBUG, "dbg", null))).isEqualTo("<7>DEBUG access - dbg\n");
        // A stack trace is many lines; journald files each one by itself, so each gets the prefix.
        String trace = encode(LogFormat.TEXT, true, event(Level.ERROR, "failed", new IllegalStateException("boom")));
        assertThat(trace.lines().count()).isGreaterThan(2);
        assertThat(trace.lines()).allMatch(l -> l.startsWith("<3>"));
        assertThat(encode(LogFormat.JSON, true, event(Level.WARN, "w", null))).startsWith("<4>{");
    }

    @Test
    void outsideJournaldTextHasItsTimestampAndNoPrefix() {
        assertThat(encode(LogFormat.TEXT, false, event(Level.INFO, "ok", null)))
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S+ INFO  access - ok\n");
    }

    @Test
    void journalStreamCountsOnlyWhenItNamesTheVeryFile() throws Exception {
        Path file = Files.writeString(dir.resolve("stderr"), "");
        Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino");
        String matching = a.get("dev") + ":" + a.get("ino");

        assertThat(JournalStream.names(matching, file)).isTrue();
        assertThat(JournalStream.names(a.get("dev") + ":" + ((Long) a.get("ino") + 1), file)).isFalse();
        assertThat(JournalStream.names(null, file)).isFalse();
        assertThat(JournalStream.names("", file)).isFalse();
        assertThat(JournalStream.names("garbage", file)).isFalse();
        assertThat(JournalStream.names("1:x", file)).isFalse();
        assertThat(JournalStream.names(matching, dir.resolve("missing"))).isFalse();
    }

    @Test
    void formatsParseInAnyCaseAndOthersAreNamed() {
        assertThat(LogFormat.parse("JSON")).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.parse(" text ")).isEqualTo(LogFormat.TEXT);
        assertThatThrownBy(() -> LogFormat.parse("xml")).hasMessage("log format must be text or json, not 'xml'");
    }
}
