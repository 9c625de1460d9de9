package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.daemon.audit.AuditLog;
import io.credproxy.daemon.report.ReportAggregator;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventJson;
import io.credproxy.protocol.wire.AgentEventKind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /events} is open to any local process (issue 11), which could post in another app's
 * name with any time, take the report's app slots so a real app folds into {@code (other)}, and
 * erase the audit history by flooding its rotation (about 440 posts of 1 MiB). Now invented names
 * share a small pool of their own, times far from the daemon's clock are replaced by the arrival
 * time, each app's events are rate-limited, and agent events may fill only a tenth of each audit
 * file: the flood below, all 440 mebibytes of it, leaves the history where it was.
 */
class EventsAbuseIT {
    static final int FLOOD_POSTS = 440;
    private static final ObjectMapper JSON = AuditJson.newMapper();

    @TempDir
    Path dir;

    @Test
    void forgedEventsCannotCrowdOutRealAppsMoveHistoryOrRotateItAway() throws Exception {
        try (HostileWorkload w = HostileWorkload.start(dir, "")) {
            long start = System.currentTimeMillis();
            w.probe(); // the real app, "prober", in proxied traffic: the first line of the history

            // More invented names than the report has slots.
            List<AgentEvent> invented = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                invented.add(AgentEvent.instrumented(System.currentTimeMillis(), "invented-" + i, "okhttp"));
            }
            assertThat(post(w, AgentEventJson.toJsonArray(invented))).startsWith("202");
            Report report = JSON.readValue(w.child.fetch("/report"), Report.class);
            assertThat(report.apps()).extracting(AppReport::app).contains("prober", ReportAggregator.EVENTS_ONLY)
                    .doesNotContain(Report.OTHER);

            // Back- and forward-dated events are recorded at their arrival.
            long day = Duration.ofDays(1).toMillis();
            post(w, AgentEventJson.toJsonArray(List.of(
                    AgentEvent.socket(AgentEventKind.SOCKET_BLOCKED, start - 2 * day, "time-travel", "java.net.Socket", "a.example", 1, "X.y"),
                    AgentEvent.socket(AgentEventKind.SOCKET_BLOCKED, start + 2 * day, "time-travel", "java.net.Socket", "b.example", 1, "X.y"))));
            assertThat(w.rejections("events_time_skew")).isEqualTo(2);

            // One app's burst is a thousand events; more at once are dropped and said so.
            List<AgentEvent> burst = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                burst.add(AgentEvent.instrumented(System.currentTimeMillis(), "chatty", "client-" + i));
            }
            String batch = AgentEventJson.toJsonArray(burst);
            List<String> answers = List.of(post(w, batch), post(w, batch), post(w, batch), post(w, batch));
            assertThat(answers.get(0)).isEqualTo("202 {\"accepted\":500}");
            assertThat(answers.get(3)).as("all answers: %s", answers).matches("(429|202) \\{\"accepted\":\\d+,\"dropped\":\\d+}");

            // The rotation flood: 440 posts of a mebibyte each, under changing names.
            String mebibyte = floodBatch();
            assertThat(mebibyte.length()).isBetween(1024 * 1024 - 1024, 1024 * 1024);
            for (int i = 0; i < FLOOD_POSTS; i++) {
                String answer = post(w, mebibyte.replace("\"flood-00\"", String.format("\"flood-%02d\"", i % 50)));
                assertThat(answer).matches("(202|429) .*");
                if (i == FLOOD_POSTS / 2) {
                    w.assertResponsive("in the middle of the flood");
                }
            }
            assertThat(w.rejections("events_rate")).isGreaterThan(100_000);
            awaitAuditWritten(w);
            Path audit = w.fx.auditLog;
            assertThat(AuditLog.rotated(audit, 1)).as("no rotation").doesNotExist();
            List<String> lines = Files.readAllLines(audit);
            assertThat(lines.get(0)).as("the first line of the history is still there").contains("\"app\":\"prober\"")
                    .contains("\"type\":\"request\"");
            for (String line : lines) {
                JsonNode node = JSON.readTree(line);
                if (node.path("app").asText().equals("time-travel")) {
                    assertThat(node.path("timeMillis").asLong()).isBetween(start, System.currentTimeMillis());
                }
            }
            w.assertResponsive("after the flood");
            assertThat(w.stop()).isZero();
        }
    }

    /** Just under 1 MiB of instrumented events with long client names (the agent's own format), app "flood-00". */
    private static String floodBatch() {
        List<AgentEvent> events = new ArrayList<>();
        String client = "c".repeat(AgentEvent.MAX_TEXT - 8);
        long length = 2; // the brackets
        for (int i = 0; ; i++) {
            AgentEvent e = AgentEvent.instrumented(System.currentTimeMillis(), "flood-00", client + i);
            long next = AgentEventJson.toJson(e).length() + 1;
            if (length + next > 1024 * 1024) {
                return AgentEventJson.toJsonArray(events);
            }
            events.add(e);
            length += next;
        }
    }

    /** POST /events; "STATUS BODY". */
    static String post(HostileWorkload w, String json) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + w.child.adminPort() + "/events").toURL()
                .openConnection(Proxy.NO_PROXY);
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setConnectTimeout(5000);
        c.setReadTimeout(30_000);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        c.setFixedLengthStreamingMode(body.length);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        int status = c.getResponseCode();
        byte[] answer = (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
        return status + " " + new String(answer, StandardCharsets.UTF_8).trim();
    }

    /** The audit writer flushes at least once a second. */
    private static void awaitAuditWritten(HostileWorkload w) throws InterruptedException {
        Thread.sleep(1_500);
    }
}
