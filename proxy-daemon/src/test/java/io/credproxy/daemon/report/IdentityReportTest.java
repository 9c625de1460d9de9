package io.credproxy.daemon.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventKind;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's identity facts per app: uids, names claimed instead, credentials used and refused; in JSON, table and HTML. */
class IdentityReportTest {
    private static final ObjectMapper JSON = AuditJson.newMapper();

    private static AuditEvent request(String app, String claimed, Long uid, Decision decision, List<String> used, List<String> refused) {
        return new AuditEvent(1_767_261_600_000L, app, "127.0.0.1:1", "GET", "https", "api.cloudflare.com", 443, "/x", decision,
                used, decision == Decision.DENIED ? 403 : 200, 0, 0, 1, decision == Decision.DENIED ? "no" : null, claimed, uid, refused);
    }

    private static Report report() {
        ReportAggregator aggregator = new ReportAggregator(ReportLimits.defaults(),
                Clock.fixed(Instant.ofEpochMilli(1_767_265_200_000L), ZoneOffset.UTC), Report.SOURCE_DAEMON);
        aggregator.record(request("tito", null, 1001L, Decision.INJECTED, List.of("CF_TOKEN"), List.of()));
        aggregator.record(request("tito", "billing", 1001L, Decision.DENIED, List.of(), List.of("PLACES_KEY")));
        aggregator.record(request("tito", "billing", 1001L, Decision.DENIED, List.of(), List.of("PLACES_KEY")));
        aggregator.recordAgentEvent(new AgentEvent(AgentEventKind.INSTRUMENTED, 1_767_261_600_000L, "tito", "okhttp", null, 0, null,
                "root", 1001L));
        aggregator.record(request("unknown", "tito", 65534L, Decision.DENIED, List.of(), List.of("CF_TOKEN")));
        aggregator.record(request("plain", null, null, Decision.INJECTED, List.of("CF_TOKEN"), List.of()));
        return aggregator.snapshot();
    }

    private static AppReport app(Report report, String name) {
        return report.apps().stream().filter(a -> a.app().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void eachAppCarriesItsUidsClaimsAndCredentials() {
        AppReport tito = app(report(), "tito");
        assertThat(tito.uids()).containsExactly(1001L);
        assertThat(tito.claimedApps()).containsEntry("billing", 2L).containsEntry("root", 1L);
        assertThat(tito.secretNamesUsed()).containsExactly("CF_TOKEN");
        assertThat(tito.secretNamesRefused()).containsExactly("PLACES_KEY");
        assertThat(app(report(), "unknown").claimedApps()).containsEntry("tito", 1L);
    }

    @Test
    void theFieldsSurviveJsonAndAreLeftOutWhenEmpty() throws Exception {
        Report report = report();
        String json = JSON.writeValueAsString(report);
        assertThat(JSON.readValue(json, Report.class)).isEqualTo(report);
        AuditEvent plain = new AuditEvent(1, "tito", "c", "GET", "https", "h", 443, "/", Decision.INJECTED, List.of("A"), 200, 0, 0, 1, null);
        String line = JSON.writeValueAsString(plain);
        assertThat(line).doesNotContain("claimedApp").doesNotContain("\"uid\"");
        assertThat(JSON.readValue(line, AuditEvent.class)).isEqualTo(plain);
        AuditEvent full = request("tito", "billing", 1001L, Decision.DENIED, List.of(), List.of("PLACES_KEY"));
        assertThat(JSON.readValue(JSON.writeValueAsString(full), AuditEvent.class)).isEqualTo(full);
    }

    @Test
    void tableAndHtmlShowWhoTheAppIsAndWhatItUsedAndWasRefused() throws Exception {
        StringWriter table = new StringWriter();
        new TableReportRenderer().render(report(), table, false);
        assertThat(table.toString()).contains("   identity: uid 1001 (kernel); claimed billing (2), root (1)")
                .contains("   credentials: used CF_TOKEN; refused PLACES_KEY")
                .contains("   identity: uid 65534 (kernel); claimed tito (1)");
        String rest = table.toString().substring(table.toString().indexOf("== plain =="));
        String plainSection = rest.indexOf("\n== ", 1) < 0 ? rest : rest.substring(0, rest.indexOf("\n== ", 1));
        assertThat(plainSection).as("no identity facts, no identity line").doesNotContain("identity:");

        StringWriter html = new StringWriter();
        new HtmlReportRenderer().render(report(), html, false);
        assertThat(html.toString()).contains("<p class=\"identity\">Identity: uid 1001 (kernel); claimed billing (2), root (1)</p>")
                .contains("<p class=\"credentials\">Credentials: used CF_TOKEN; refused PLACES_KEY</p>");
    }
}
