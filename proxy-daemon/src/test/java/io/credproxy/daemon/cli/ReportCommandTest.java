package io.credproxy.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.admin.AdminRoute;
import io.credproxy.daemon.admin.AdminRouter;
import io.credproxy.daemon.admin.AdminServer;
import io.credproxy.daemon.admin.ReportEndpoint;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.daemon.audit.AuditLog;
import io.credproxy.daemon.report.ReportAggregator;
import io.credproxy.daemon.report.ReportLimits;
import io.credproxy.daemon.testing.SampleReports;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.Report;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {
    @TempDir
    Path dir;

    private Path log;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeSampleAuditLog() throws IOException {
        log = dir.resolve("audit.jsonl");
        try (AuditLog audit = AuditLog.open(log)) {
            SampleReports.feed(audit);
        }
    }

    @Test
    void summarisesAnAuditLogAsATable() {
        assertThat(run("--audit-log", log.toString())).isZero();

        assertThat(out.toString()).contains("credproxy report: 2 apps, 12 requests").contains("(source: audit-log")
                .contains("== tito ==").contains("== places ==").contains("!! 3 raw socket connects");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void readsRotatedFilesOldestFirstTogetherWithTheCurrentOne() throws IOException {
        // Split the sample over three files the way rotation leaves them.
        var lines = Files.readAllLines(log);
        Files.write(AuditLog.rotated(log, 2), lines.subList(0, 5));
        Files.write(AuditLog.rotated(log, 1), lines.subList(5, 10));
        Files.write(log, lines.subList(10, lines.size()));

        assertThat(run("--audit-log", log.toString(), "--format", "json")).isZero();

        Report report = parse(out.toString());
        assertThat(report.requests()).isEqualTo(12);
        assertThat(report.apps().get(0).bypassAttempts()).isEqualTo(3);
    }

    @Test
    void filtersByAppAndSince() {
        // The sample clock is T0 + 1h; places' requests are at T0 + 20 min, tito's last at T0 + 15 min.
        assertThat(run("--audit-log", log.toString(), "--format", "json", "--since", "42m")).isZero();
        Report recent = parse(out.toString());
        assertThat(recent.apps()).extracting(AppReport::app).containsExactly("places");
        assertThat(recent.requests()).isEqualTo(4);

        out.getBuffer().setLength(0);
        assertThat(run("--audit-log", log.toString(), "--format", "json", "--app", "tito")).isZero();
        Report tito = parse(out.toString());
        assertThat(tito.apps()).extracting(AppReport::app).containsExactly("tito");
        assertThat(tito.requests()).isEqualTo(8);
    }

    @Test
    void skipsAndCountsLinesThatAreNotEvents() throws IOException {
        Files.writeString(log, "{\"type\":\"request\",\"timeMil", java.nio.file.StandardOpenOption.APPEND);

        assertThat(run("--audit-log", log.toString(), "--format", "json")).isZero();

        assertThat(parse(out.toString()).requests()).isEqualTo(12);
        assertThat(err.toString()).contains("skipped 1 lines");
    }

    @Test
    void writesHtmlToAnOutputFile() throws IOException {
        Path html = dir.resolve("report.html");

        assertThat(run("--audit-log", log.toString(), "--format", "html", "--output", html.toString())).isZero();

        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("data-app=\"tito\"");
        assertThat(out.toString()).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void fetchesTheLiveReportFromTheAdminEndpoint() throws Exception {
        ReportAggregator aggregator = new ReportAggregator(ReportLimits.defaults(), SampleReports.CLOCK, Report.SOURCE_DAEMON);
        SampleReports.feed(aggregator);
        AdminRouter router = new AdminRouter().register(AdminRoute.get("/report", new ReportEndpoint(aggregator)));
        try (AdminServer server = AdminServer.start(new HostPort("127.0.0.1", 0), router)) {
            String admin = "127.0.0.1:" + server.address().getPort();

            assertThat(run("--admin", admin, "--format", "json", "--app", "places")).isZero();

            Report report = parse(out.toString());
            assertThat(report.source()).isEqualTo("daemon");
            assertThat(report.apps()).extracting(AppReport::app).containsExactly("places");
        }
    }

    @Test
    void anUnreachableDaemonExitsOneNamingTheAddress() throws IOException {
        int freePort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }

        assertThat(run("--admin", "127.0.0.1:" + freePort)).isEqualTo(1);

        assertThat(err.toString()).startsWith("credproxy report: cannot reach the daemon's admin endpoint at 127.0.0.1:" + freePort);
    }

    @Test
    void badArgumentsExitTwoNamingTheProblem() {
        assertUsage(new String[] {"--format", "pdf"}, "unknown format 'pdf' (use table, json or html)");
        assertUsage(new String[] {"--since", "yesterday"}, "--since expects a span such as 30m");
        assertUsage(new String[] {"--since", "0h"}, "--since must be more than zero");
        assertUsage(new String[] {"--admin", "localhost"}, "expected HOST:PORT: missing port");
        assertUsage(new String[] {"--admin", "127.0.0.1:1", "--audit-log", "x"}, "--admin and --audit-log cannot be used together");
        assertUsage(new String[] {"--audit-log", dir.resolve("nope.jsonl").toString()}, "nope.jsonl does not exist");
        assertUsage(new String[] {"--audit-log", "x", "--output", dir.resolve("no/such/dir/r.html").toString()}, "does not exist");
        assertUsage(new String[] {"--colour"}, "Unknown option: '--colour'");
    }

    private void assertUsage(String[] args, String message) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
        assertThat(err.toString()).as(String.join(" ", args)).contains(message);
    }

    private int run(String... args) {
        ReportCommand command = new ReportCommand();
        command.clock = SampleReports.CLOCK;
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static Report parse(String json) {
        try {
            return AuditJson.newMapper().readValue(json, Report.class);
        } catch (IOException e) {
            throw new AssertionError("not a report: " + json, e);
        }
    }
}
