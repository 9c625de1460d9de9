package io.credproxy.daemon.report;

import io.credproxy.daemon.admin.Endpoint;
import io.credproxy.daemon.admin.EventsEndpoint;
import io.credproxy.daemon.admin.MetricsEndpoint;
import io.credproxy.daemon.admin.ReportEndpoint;
import io.credproxy.daemon.audit.AuditLog;
import io.credproxy.daemon.audit.AuditLogLocation;
import io.credproxy.daemon.audit.CompositeAuditSink;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.protocol.config.ProxyConfig;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Everything that records and reports, assembled once at daemon start-up: audit log, live report,
 * metrics, the one sink the server feeds and the admin routes.
 *
 * <pre>{@code
 * Reporting reporting = Reporting.start(config, text -> policyHolder.current().redactor().redact(text));
 * server uses reporting.sink() (AuditSink) and reporting.metrics() (connections, errors, cert cache)
 * admin routes reporting.endpoints(): "/report", "/metrics", "/events"
 * on clean stop: reporting.close()  // flushes the audit log
 * }</pre>
 */
public final class Reporting implements Closeable {
    private final AuditLog auditLog;
    private final ReportAggregator aggregator;
    private final ProxyMetrics metrics;
    private final CompositeAuditSink sink;
    private final Map<String, Endpoint> endpoints;

    private Reporting(AuditLog auditLog, UnaryOperator<String> redactor) {
        this.auditLog = auditLog;
        this.aggregator = ReportAggregator.forDaemon();
        this.metrics = new ProxyMetrics();
        metrics.bindAuditDrops(auditLog::dropped);
        this.sink = new CompositeAuditSink(List.of(auditLog, aggregator, metrics), failed -> metrics.recordError("audit_sink"));
        this.endpoints = Map.of(
                "/report", new ReportEndpoint(aggregator),
                "/metrics", new MetricsEndpoint(metrics),
                "/events", new EventsEndpoint(sink, redactor));
    }

    /**
     * Opens the audit log where the configuration (or its default, see {@link AuditLogLocation})
     * says and assembles the rest.
     *
     * @param redactor applied to free-text fields before they are written or reported; should
     *     follow secret reloads ({@code text -> current redactor.redact(text)}); must accept {@code null}
     * @throws IOException when the audit log cannot be created or opened (a start-up refusal)
     */
    public static Reporting start(ProxyConfig config, UnaryOperator<String> redactor) throws IOException {
        return start(AuditLogLocation.resolve(config), redactor);
    }

    /** As {@link #start(ProxyConfig, UnaryOperator)} with an explicit audit log path. */
    public static Reporting start(Path auditLogFile, UnaryOperator<String> redactor) throws IOException {
        Objects.requireNonNull(redactor, "redactor");
        return new Reporting(AuditLog.open(auditLogFile, redactor), redactor);
    }

    /** The one sink for the server: audit events (and agent events) go to log, report and metrics. */
    public CompositeAuditSink sink() {
        return sink;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    public ReportAggregator aggregator() {
        return aggregator;
    }

    public AuditLog auditLog() {
        return auditLog;
    }

    /** Admin routes by path: {@code /report} (GET), {@code /metrics} (GET), {@code /events} (POST). */
    public Map<String, Endpoint> endpoints() {
        return endpoints;
    }

    /** Writes every queued audit event and closes the audit log. */
    @Override
    public void close() {
        auditLog.close();
    }
}
