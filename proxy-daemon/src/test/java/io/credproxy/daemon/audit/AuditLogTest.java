package io.credproxy.daemon.audit;

import static io.credproxy.daemon.testing.TestEvents.blocked;
import static io.credproxy.daemon.testing.TestEvents.injected;
import static io.credproxy.daemon.testing.TestEvents.tunnel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credproxy.protocol.report.AuditEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    private final ObjectMapper json = AuditJson.newMapper();

    @TempDir
    Path dir;

    @Test
    void writesOneTypedJsonLinePerEventWithCamelCaseFieldsAndLowerCaseEnums() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            log.record(injected(1000, "tito", "api.cloudflare.com", "CLOUDFLARE_D1_API_TOKEN"));
            log.record(tunnel(2000, "tito", "example.org", 443));
            log.recordAgentEvent(blocked(3000, "tito", "evil.example", 25, "com.example.Mailer.send"));
        }

        List<JsonNode> lines = readLines(file);
        assertThat(lines).hasSize(3);
        JsonNode first = lines.get(0);
        assertThat(first.fieldNames().next()).isEqualTo("type");
        assertThat(first.get("type").asText()).isEqualTo("request");
        assertThat(first.get("decision").asText()).isEqualTo("injected");
        assertThat(first.get("timeMillis").asLong()).isEqualTo(1000);
        assertThat(first.get("secretNames").get(0).asText()).isEqualTo("CLOUDFLARE_D1_API_TOKEN");
        assertThat(json.treeToValue(first, AuditEvent.class)).isEqualTo(injected(1000, "tito", "api.cloudflare.com", "CLOUDFLARE_D1_API_TOKEN"));
        assertThat(lines.get(1).has("path")).as("null fields are left out").isFalse();
        assertThat(lines.get(1).get("decision").asText()).isEqualTo("tunnel");
        JsonNode agent = lines.get(2);
        assertThat(agent.get("type").asText()).isEqualTo("agent");
        assertThat(agent.get("kind").asText()).isEqualTo("socket_blocked");
        assertThat(agent.get("frame").asText()).isEqualTo("com.example.Mailer.send");
    }

    @Test
    void flushesWithinAboutASecondWithoutBeingClosed() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            log.record(injected(1000, "tito", "api.cloudflare.com", "T"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.size(file) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.readString(file)).contains("\"api.cloudflare.com\"").endsWith("\n");
        }
    }

    @Test
    void closeWritesEveryQueuedEvent() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = AuditLog.open(file);
        for (int i = 0; i < 20_000; i++) {
            log.record(injected(i, "tito", "api.cloudflare.com", "T"));
        }
        log.close();

        assertThat(log.dropped()).isZero();
        assertThat(Files.readAllLines(file)).hasSize(20_000);
        assertThat(log.written()).isEqualTo(20_000);
    }

    @Test
    void dropsAndCountsInsteadOfBlockingWhenTheQueueIsFull() throws Exception {
        CountDownLatch writerHolds = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Runnable stallingWriter = () -> {
            writerHolds.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = AuditLog.open(new AuditLogSettings(file, 1 << 20, 1, 2, 1000), stallingWriter);
        log.record(injected(0, "tito", "h", "T"));
        assertThat(writerHolds.await(5, TimeUnit.SECONDS)).isTrue(); // the writer is now stuck on event 0

        for (int i = 1; i <= 10; i++) {
            log.record(injected(i, "tito", "h", "T")); // returns at once: two fit, eight are dropped
        }

        assertThat(log.dropped()).isEqualTo(8);
        release.countDown();
        log.close();
        assertThat(Files.readAllLines(file)).hasSize(3);
    }

    @Test
    void eventsAfterCloseAreDroppedNotThrown() throws IOException {
        AuditLog log = AuditLog.open(dir.resolve("audit.jsonl"));
        log.close();

        log.record(injected(1, "tito", "h", "T"));

        assertThat(log.dropped()).isEqualTo(1);
    }

    @Test
    void rotatesBySizeAndKeepsOnlyTheNewestFiles() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(new AuditLogSettings(file, 1024, 2, 1000, 1000))) {
            for (int i = 0; i < 100; i++) {
                log.record(injected(i, "tito", "api.cloudflare.com", "T"));
            }
        }

        Path one = AuditLog.rotated(file, 1);
        Path two = AuditLog.rotated(file, 2);
        assertThat(one).exists();
        assertThat(two).exists();
        assertThat(AuditLog.rotated(file, 3)).doesNotExist();
        for (Path p : List.of(file, one, two)) {
            assertThat(Files.size(p)).isLessThanOrEqualTo(1024);
        }
        // Oldest to newest, the kept lines are one unbroken run ending with the last event.
        List<Long> times = new ArrayList<>();
        for (Path p : List.of(two, one, file)) {
            readLines(p).forEach(n -> times.add(n.get("timeMillis").asLong()));
        }
        assertThat(times.get(times.size() - 1)).isEqualTo(99);
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i)).isEqualTo(times.get(i - 1) + 1);
        }
    }

    @Test
    void agentEventsTakeAtMostTheirShareOfAFileSoAFloodCannotRotateTheHistoryAway() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        long dropped;
        try (AuditLog log = AuditLog.open(new AuditLogSettings(file, 16 * 1024, 2, 100_000, 1000, 0.1))) {
            log.record(injected(1, "tito", "api.cloudflare.com", "T"));
            for (int i = 0; i < 10_000; i++) {
                log.recordAgentEvent(blocked(2 + i, "flood", "evil.example", 25, "X.y"));
            }
            log.close();
            dropped = log.agentEventsOverShare();
        }

        assertThat(AuditLog.rotated(file, 1)).as("a flood of agent events alone never rotates").doesNotExist();
        List<JsonNode> lines = readLines(file);
        assertThat(lines.get(0).get("type").asText()).isEqualTo("request");
        long agentBytes = Files.readAllLines(file).stream().filter(l -> l.contains("\"type\":\"agent\"")).mapToLong(l -> l.length() + 1).sum();
        assertThat(agentBytes).isBetween(1L, 16 * 1024 / 10L);
        assertThat(dropped).isEqualTo(10_000 - (lines.size() - 1));
    }

    @Test
    void requestLinesStillRotateAndEachNewFileGivesAgentEventsTheirShareAgain() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(new AuditLogSettings(file, 4 * 1024, 3, 100_000, 1000, 0.1))) {
            for (int i = 0; i < 200; i++) {
                log.record(injected(i, "tito", "api.cloudflare.com", "T"));
                log.recordAgentEvent(blocked(i, "flood", "evil.example", 25, "X.y"));
            }
        }

        assertThat(AuditLog.rotated(file, 1)).exists();
        for (Path p : List.of(file, AuditLog.rotated(file, 1))) {
            assertThat(Files.readString(p)).contains("\"type\":\"agent\"").contains("\"type\":\"request\"");
        }
    }

    @Test
    void appendsToAnExistingLogAndCreatesMissingDirectoriesWithMode0640() throws IOException {
        Path file = dir.resolve("state/credproxy/audit.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            log.record(injected(1, "a", "h", "T"));
        }
        try (AuditLog log = AuditLog.open(file)) {
            log.record(injected(2, "a", "h", "T"));
        }

        assertThat(Files.readAllLines(file)).hasSize(2);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    }

    private List<JsonNode> readLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(json.readTree(line));
        }
        return out;
    }
}
