package io.credproxy.daemon.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.daemon.audit.AgentEventSink;
import io.credproxy.protocol.report.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogReaderTest {
    @TempDir
    Path dir;

    @Test
    void listsRotatedFilesOldestFirstThenTheCurrentOne() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        for (String name : List.of("audit.jsonl", "audit.jsonl.1", "audit.jsonl.10", "audit.jsonl.2", "audit.jsonl.bak",
                "audit.jsonl.1.gz", "other.jsonl.3")) {
            Files.writeString(dir.resolve(name), "");
        }

        assertThat(AuditLogReader.files(log)).containsExactly(dir.resolve("audit.jsonl.10"), dir.resolve("audit.jsonl.2"),
                dir.resolve("audit.jsonl.1"), log);
        assertThat(AuditLogReader.files(dir.resolve("missing.jsonl"))).isEmpty();
    }

    @Test
    void streamsEveryEventAndSkipsAndCountsWhatIsNotOne() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        AuditLogGenerator.write(log, 25_000);
        Files.writeString(log, "not json\n{\"type\":\"mystery\"}\n\n{\"type\":\"request\",\"decision\":\"teleported\"}\n[1]\n",
                java.nio.file.StandardOpenOption.APPEND);
        ReportAggregator aggregator = new ReportAggregator(ReportLimits.defaults(), java.time.Clock.systemUTC(), Report.SOURCE_AUDIT_LOG);

        AuditLogReader.Stats stats = new AuditLogReader().read(List.of(log), aggregator, aggregator);

        assertThat(stats).isEqualTo(new AuditLogReader.Stats(1, 24_500, 500, 4));
        Report report = aggregator.snapshot();
        assertThat(report.requests()).isEqualTo(24_500);
        assertThat(report.apps().stream().mapToLong(a -> a.bypassAttempts()).sum()).isEqualTo(500);
    }

    @Test
    void aSinkFailureIsNotMistakenForABadLine() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        AuditLogGenerator.write(log, 100);
        AgentEventSink ignore = e -> {};

        assertThatThrownBy(() -> new AuditLogReader().read(List.of(log), e -> {
            throw new IllegalStateException("sink broke");
        }, ignore)).hasMessage("sink broke");
    }
}
