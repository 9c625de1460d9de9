package io.credproxy.daemon;

import static io.credproxy.daemon.testing.TestEvents.blocked;
import static io.credproxy.daemon.testing.TestEvents.injected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.daemon.admin.AdminEndpoint;
import io.credproxy.daemon.admin.AdminRoute;
import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.config.UpstreamConfig;
import io.credproxy.daemon.testing.AdminCalls;
import io.credproxy.daemon.testing.RecordingSink;
import io.credproxy.protocol.wire.AgentEventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportingTest {
    @TempDir
    Path dir;

    @Test
    void oneSinkFeedsTheLogTheReportAndTheMetricsBehindTheAdminRoutes() throws Exception {
        ProxyConfig config = new ProxyConfig(ProxyConfig.DEFAULT_LISTEN, ProxyConfig.DEFAULT_ADMIN, "/etc/secrets",
                dir.resolve("ca").toString(), dir.resolve("log/audit.jsonl").toString(), UpstreamConfig.defaults(), List.of());
        Reporting reporting = Reporting.start(config, UnaryOperator.identity());

        reporting.sink().record(injected(1000, "tito", "api.cloudflare.com", "CLOUDFLARE_D1_API_TOKEN"));
        byte[] batch = AgentEventJson.toJsonArray(List.of(blocked(2000, "tito", "smtp.example", 25, "M.send")))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(endpoint(reporting, "/events").handle(AdminCalls.post("/events", batch)).status()).isEqualTo(202);

        assertThat(reporting.routes()).extracting(r -> r.method() + " " + r.path())
                .containsExactlyInAnyOrder("GET /report", "GET /metrics", "POST /events");
        assertThat(endpoint(reporting, "/report").handle(AdminCalls.get("/report")).bodyText())
                .contains("\"app\":\"tito\"").contains("\"kind\":\"socket_blocked\"");
        assertThat(endpoint(reporting, "/metrics").handle(AdminCalls.get("/metrics")).bodyText())
                .contains("credproxy_requests_total{app=\"tito\"").contains("credproxy_audit_dropped_total 0")
                .contains("credproxy_agent_events_total{app=\"tito\",kind=\"socket_blocked\"} 1");
        reporting.close();
        assertThat(Files.readAllLines(dir.resolve("log/audit.jsonl"))).hasSize(2);
    }

    @Test
    void anAuditLogThatCannotBeOpenedRefusesTheStart() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> Reporting.start(notADirectory.resolve("audit.jsonl"), UnaryOperator.identity(), List.of()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void extraSinksGetEveryEventTooAgentEventsWhenTheyTakeThem() throws Exception {
        RecordingSink both = new RecordingSink();
        Reporting reporting = Reporting.start(dir.resolve("audit.jsonl"), UnaryOperator.identity(), List.of(both));

        reporting.sink().record(injected(1000, "tito", "api.cloudflare.com", "CLOUDFLARE_D1_API_TOKEN"));
        byte[] batch = AgentEventJson.toJsonArray(List.of(blocked(2000, "tito", "smtp.example", 25, "M.send")))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(endpoint(reporting, "/events").handle(AdminCalls.post("/events", batch)).status()).isEqualTo(202);
        reporting.close();

        assertThat(both.audit).hasSize(1);
        assertThat(both.agent).hasSize(1);
        assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).hasSize(2);
    }

    private static AdminEndpoint endpoint(Reporting reporting, String path) {
        return reporting.routes().stream().filter(r -> r.path().equals(path)).map(AdminRoute::endpoint).findFirst().orElseThrow();
    }
}
