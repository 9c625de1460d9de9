package io.credproxy.daemon.cli;

import io.credproxy.daemon.audit.AgentEventSink;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.daemon.audit.AuditSink;
import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.report.AuditLogReader;
import io.credproxy.daemon.report.ReportAggregator;
import io.credproxy.daemon.report.ReportFilter;
import io.credproxy.daemon.report.ReportFormat;
import io.credproxy.daemon.report.ReportLimits;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.wire.ProxyIdentity;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code credproxy report}: the per-app routing report, from the live daemon or from audit logs.
 *
 * <p>With {@code --admin} (the default, {@code 127.0.0.1:18081}) it fetches {@code GET /report};
 * with {@code --audit-log FILE} it streams {@code FILE}'s rotated files ({@code FILE.N} ...
 * {@code FILE.1}) and then {@code FILE}, one line at a time, into a bounded aggregator: memory does
 * not grow with the files. Exit codes: 0 done; 1 the daemon or a file could not be read or
 * written; 2 bad arguments (with a message naming the problem).
 */
@Command(name = "report", sortOptions = false,
        description = "Print the per-app routing report: where each app's traffic went, which secrets "
                + "(by name) were added, and the bypass attempts the agent caught.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:report written", "1:daemon or file unreadable, output unwritable", "2:bad arguments"})
public final class ReportCommand implements Callable<Integer> {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--admin", paramLabel = "HOST:PORT", converter = OptionConverters.HostPortConverter.class,
            description = "the daemon's admin address (default: 127.0.0.1:18081)")
    HostPort admin;

    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "read this audit log and its rotated files (FILE.1, FILE.2, ...) instead of the live daemon")
    Path auditLog;

    @Option(names = "--app", paramLabel = "NAME", description = "only this app")
    String app;

    @Option(names = "--since", paramLabel = "WHEN", converter = OptionConverters.SinceConverter.class,
            description = "only what happened since: a span back from now (30m, 1h, 7d) or an instant "
                    + "(2026-01-01T10:00:00Z); with the live daemon, destinations last seen since then")
    Since since;

    @Option(names = "--format", paramLabel = "FORMAT", converter = OptionConverters.FormatConverter.class, defaultValue = "table",
            description = "table (default), json or html")
    ReportFormat format = ReportFormat.TABLE;

    @Option(names = "--output", paramLabel = "FILE", description = "write to FILE instead of standard output")
    Path output;

    /** The clock for {@code --since} spans and snapshot times; tests replace it. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        if (admin != null && auditLog != null) {
            throw new ParameterException(spec.commandLine(), "--admin and --audit-log cannot be used together: choose one source");
        }
        if (output != null) {
            Path dir = output.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new ParameterException(spec.commandLine(), "--output: directory " + dir + " does not exist");
            }
        }
        long sinceMillis = since == null ? 0 : since.toMillis(clock);
        String onlyApp = app == null ? null : app.trim();
        Report report;
        try {
            report = auditLog != null ? fromAuditLog(onlyApp, sinceMillis)
                    : ReportFilter.apply(fromDaemon(admin == null ? ProxyConfig.DEFAULT_ADMIN : admin), onlyApp, sinceMillis);
        } catch (Failure e) {
            return fail(e.exitCode, e.getMessage());
        }
        try {
            write(report);
        } catch (IOException e) {
            return fail(EXIT_FAILED, "cannot write " + (output == null ? "the report" : output) + ": " + e.getClass().getSimpleName());
        }
        return 0;
    }

    private Report fromAuditLog(String onlyApp, long sinceMillis) throws Failure {
        List<Path> files;
        try {
            files = AuditLogReader.files(auditLog);
        } catch (IOException e) {
            throw new Failure(EXIT_FAILED, "cannot list the audit log files beside " + auditLog + ": " + e.getClass().getSimpleName());
        }
        if (files.isEmpty()) {
            throw new Failure(EXIT_USAGE, "--audit-log: " + auditLog + " does not exist (nor any rotated " + auditLog.getFileName() + ".N)");
        }
        ReportAggregator aggregator = new ReportAggregator(ReportLimits.defaults(), clock, Report.SOURCE_AUDIT_LOG);
        AuditSink requests = e -> {
            if (e.timeMillis() >= sinceMillis && (onlyApp == null || onlyApp.equals(ProxyIdentity.sanitizeApp(e.app())))) {
                aggregator.record(e);
            }
        };
        AgentEventSink agentEvents = e -> {
            if (e.timeMillis() >= sinceMillis && (onlyApp == null || onlyApp.equals(e.app()))) {
                aggregator.recordAgentEvent(e);
            }
        };
        AuditLogReader.Stats stats;
        try {
            stats = new AuditLogReader().read(files, requests, agentEvents);
        } catch (IOException e) {
            throw new Failure(EXIT_FAILED, "cannot read the audit log " + auditLog + ": " + e.getClass().getSimpleName());
        }
        if (stats.skippedLines() > 0) {
            spec.commandLine().getErr().println("credproxy report: skipped " + stats.skippedLines()
                    + " lines that are not audit events (a line cut short by a crash is one)");
        }
        return aggregator.snapshot();
    }

    private Report fromDaemon(HostPort address) throws Failure {
        URI uri = URI.create("http://" + address + "/report");
        // The admin endpoint is local: never route this through whatever proxy the JVM is told about.
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Failure(EXIT_FAILED, "cannot reach the daemon's admin endpoint at " + address + " ("
                    + e.getClass().getSimpleName() + "); is it running? (or use --audit-log FILE)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(EXIT_FAILED, "interrupted while fetching " + uri);
        }
        if (response.statusCode() != 200) {
            throw new Failure(EXIT_FAILED, "the admin endpoint at " + address + " answered HTTP " + response.statusCode() + " to GET /report");
        }
        try {
            return AuditJson.newMapper().readValue(response.body(), Report.class);
        } catch (IOException e) {
            throw new Failure(EXIT_FAILED, "the admin endpoint at " + address + " sent a report that is not valid JSON");
        }
    }

    private void write(Report report) throws IOException {
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            boolean color = format == ReportFormat.TABLE && Terminals.isInteractive() && System.getenv("NO_COLOR") == null;
            format.renderer().render(report, out, color);
            out.flush();
            return;
        }
        // Write beside the target and move into place, so a reader never sees half a report.
        Path target = output.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (Writer out = new BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))) {
                format.renderer().render(report, out, false);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private int fail(int code, String message) {
        spec.commandLine().getErr().println("credproxy report: " + message);
        return code;
    }

    /** A failure with the exit code it maps to. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Failure(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }
}
