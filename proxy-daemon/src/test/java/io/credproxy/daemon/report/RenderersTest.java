package io.credproxy.daemon.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.daemon.testing.SampleReports;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.BypassReport;
import io.credproxy.protocol.report.DestinationReport;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.report.Timeline;
import io.credproxy.protocol.report.TimelineBucket;
import io.credproxy.protocol.wire.AgentEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderersTest {
    /** Text a hostile daemon response or agent could put in names: markup, quotes, terminal escapes. */
    static final String HOSTILE_HOST = "evil\"><script>alert(1)</script>\u001b[2J.example";
    static final String HOSTILE_FRAME = "<img src=x onerror=alert(2)>.run\u001b]0;pwned\u0007";

    @Test
    void tableHasAnAlignedSectionPerAppAndMarksBypassAttempts() throws IOException {
        String text = render(ReportFormat.TABLE, SampleReports.report(), false);

        assertThat(text).contains("credproxy report: 2 apps, 12 requests")
                .contains("== tito ==").contains("== places ==")
                .contains("instrumented: jdk-httpclient, okhttp")
                .contains("!! 3 raw socket connects caught by the agent (bypass attempts):")
                .containsPattern("!! +BLOCKED +smtp\\.example:25 +2 +com\\.example\\.Mailer\\.send")
                .containsPattern("!! +TUNNELED +db\\.example:5432 +1 +com\\.example\\.Db\\.connect")
                .containsPattern("api\\.cloudflare\\.com:443 +6 +5 +0 +0 +1 +0 +200:5 421:1")
                .contains("CLOUDFLARE_D1_API_TOKEN")
                .doesNotContain("\u001b");
        // Aligned: in the destination table, each column starts at the same offset on every line.
        List<String> rows = text.lines().filter(l -> l.startsWith("   DESTINATION") || l.startsWith("   api.")
                || l.startsWith("   example.org")).limit(3).toList();
        assertThat(rows).hasSize(3);
        int col = rows.get(0).indexOf("SECRETS");
        assertThat(rows.get(1).indexOf("CLOUDFLARE_D1_API_TOKEN")).isEqualTo(col);
        assertThat(rows.get(2).charAt(col)).isEqualTo('-');
    }

    @Test
    void tableColoursBypassLinesOnlyWhenAskedAndNeverPassesTerminalEscapesThrough() throws IOException {
        assertThat(render(ReportFormat.TABLE, SampleReports.report(), true)).contains("\u001b[1;31m!! 3 raw socket");
        String hostile = render(ReportFormat.TABLE, hostileReport(), false);
        assertThat(hostile).doesNotContain("\u001b").doesNotContain("\u0007").contains("?[2J.example");
    }

    @Test
    void htmlIsSelfContainedAndEscapesEveryValue() throws IOException {
        String html = render(ReportFormat.HTML, hostileReport(), false);

        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("Content-Security-Policy\" content=\"default-src 'none'")
                .doesNotContain("<script").doesNotContain("<img").doesNotContain("<link")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("url(").doesNotContain("@import")
                .contains("evil&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&lt;img src=x onerror=alert(2)&gt;")
                .doesNotContain("\u001b");
    }

    @Test
    void htmlHasAChartTableAndSectionPerApp() throws IOException {
        String html = render(ReportFormat.HTML, SampleReports.report(), false);

        assertThat(html).contains("<svg id=\"chart\"").contains("<rect class=\"bar\"")
                .contains("<section class=\"app\" id=\"app-0\" data-app=\"tito\">")
                .contains("<section class=\"app\" id=\"app-1\" data-app=\"places\">")
                .contains("<span class=\"bypass-count\">3</span>")
                .contains("<table id=\"overview\">");
        assertThat(html.split("<section class=\"app\"", -1)).hasSize(3);
    }

    @Test
    void jsonIsTheReportSchema() throws IOException {
        Report report = SampleReports.report();

        String json = render(ReportFormat.JSON, report, true);

        assertThat(AuditJson.newMapper().readValue(json, Report.class)).isEqualTo(report);
        assertThat(json).contains("\"source\" : \"daemon\"");
    }

    @Test
    void everyFormatShowsAHookTheAgentCouldNotWeaveAsAnError() throws IOException {
        ReportAggregator aggregator = new ReportAggregator(ReportLimits.defaults(), SampleReports.CLOCK, Report.SOURCE_DAEMON);
        SampleReports.feed(aggregator);
        String hook = "jdk.internal.net.http.HttpRequestImpl.<init>(.. java.net.ProxySelector ..)";
        aggregator.recordAgentEvent(AgentEvent.instrumentationFailed(SampleReports.T0, "tito", "jdk-httpclient", hook));
        aggregator.recordAgentEvent(AgentEvent.instrumentationFailed(SampleReports.T0 + 1, "tito", "jdk-httpclient", hook));
        aggregator.recordAgentEvent(AgentEvent.instrumentationFailed(SampleReports.T0, "tito", "okhttp<b>\u001b[2J",
                HOSTILE_FRAME));
        Report report = aggregator.snapshot();

        String table = render(ReportFormat.TABLE, report, false);
        assertThat(table).contains("!! ERROR: the agent could not instrument these clients")
                .contains("!!    jdk-httpclient: no " + hook)
                .doesNotContain("\u001b");
        assertThat(table.lines().filter(l -> l.contains(hook))).as("one line per hook, however often reported").hasSize(1);
        assertThat(render(ReportFormat.TABLE, report, true)).contains("\u001b[1;31m!! ERROR: the agent could not instrument")
                .contains("\u001b[1;31m!!    jdk-httpclient: no " + hook + "\u001b[0m");

        String html = render(ReportFormat.HTML, report, false);
        assertThat(html).contains("<div class=\"bypasses instrumentation-errors\">")
                .contains("Error: the agent could not instrument")
                .contains("<li><b>jdk-httpclient</b>: no jdk.internal.net.http.HttpRequestImpl.&lt;init&gt;(.. java.net.ProxySelector ..)</li>")
                .doesNotContain("<img").doesNotContain("okhttp<b>");

        String json = render(ReportFormat.JSON, report, false);
        assertThat(json).contains("\"instrumentationFailures\"").contains("\"client\" : \"jdk-httpclient\"");
        Report parsed = AuditJson.newMapper().readValue(json, Report.class);
        assertThat(parsed).isEqualTo(report);
        assertThat(parsed.apps().get(0).instrumentationFailures()).hasSize(2);
        assertThat(parsed.apps().get(0).instrumentedClients()).as("other clients still listed")
                .containsExactly("jdk-httpclient", "okhttp");
    }

    @Test
    void emptyReportsSaySo() throws IOException {
        Report empty = new Report(1, Report.SOURCE_AUDIT_LOG, 0, 0, 0, List.of(), Timeline.EMPTY);

        assertThat(render(ReportFormat.TABLE, empty, false)).contains("No requests or agent events recorded.");
        assertThat(render(ReportFormat.HTML, empty, false)).contains("No requests in this period.").doesNotContain("<svg");
    }

    @Test
    void formatsParseFromTheirOptionNames() {
        assertThat(ReportFormat.parse("HTML")).isEqualTo(ReportFormat.HTML);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportFormat.parse("pdf"))
                .hasMessage("unknown format 'pdf' (use table, json or html)");
        assertThat(HtmlChart.duration(1000)).isEqualTo("1 s");
        assertThat(HtmlChart.duration(256_000)).isEqualTo("4 min");
        assertThat(ReportText.bytes(1536)).isEqualTo("1.5 KiB");
    }

    static Report hostileReport() {
        DestinationReport d = new DestinationReport(HOSTILE_HOST, 443, 2, Map.of("tunnel", 2L), Map.of("0", 2L), 1, 1,
                SampleReports.T0, SampleReports.T0, List.of());
        BypassReport b = new BypassReport("socket_blocked", HOSTILE_HOST, 25, HOSTILE_FRAME, "java.net.Socket\u001b[0m", 1,
                SampleReports.T0, SampleReports.T0);
        AppReport a = new AppReport("<b>app</b>", 2, Map.of("tunnel", 2L), 1, 1, SampleReports.T0, SampleReports.T0,
                List.of("okhttp<script>"), List.of(d), List.of(b));
        return new Report(SampleReports.T0, "daemon<i>", SampleReports.T0, SampleReports.T0, 2, List.of(a),
                new Timeline(1000, List.of(new TimelineBucket(SampleReports.T0, Map.of("<b>app</b>", 2L)))));
    }

    static String render(ReportFormat format, Report report, boolean color) throws IOException {
        StringWriter out = new StringWriter();
        format.renderer().render(report, out, color);
        return out.toString();
    }
}
