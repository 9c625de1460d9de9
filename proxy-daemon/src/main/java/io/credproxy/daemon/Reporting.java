package io.credproxy.daemon;

import io.credproxy.daemon.admin.AdminRoute;
import io.credproxy.daemon.admin.EventAttribution;
import io.credproxy.daemon.admin.EventsEndpoint;
import io.credproxy.daemon.admin.MetricsEndpoint;
import io.credproxy.daemon.admin.ReportEndpoint;
import io.credproxy.daemon.audit.AuditLog;
import io.credproxy.daemon.audit.AuditLogLocation;
import io.credproxy.daemon.audit.CompositeAuditSink;
import io.credproxy.daemon.config.LimitsConfig;
import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.report.ReportAggregator;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Everything that records and reports, assembled once at daemon start-up: audit log, live report,
 * metrics, the one sink the server feeds and the admin routes.
 *
 * <p>{@link io.credproxy.daemon.Daemon#start} owns one:
 * <pre>{@code
 * Reporting reporting = Reporting.start(auditLogFile, text -> policyHolder.current().redactor().redact(text), extraSinks);
 * server uses reporting.sink() (AuditSink) and reporting.metrics() (connections, errors, cert cache)
 * admin router registers reporting.routes(): GET /report, GET /metrics, POST /events
 * on clean stop, once no event loop can record any more: reporting.close()  // flushes the audit log
 * }</pre>
 */
public final class Reporting implements Closeable {
    private final AuditLog auditLog;
    private final ReportAggregator aggregator;
    private final ProxyMetrics metrics;
    private final LimitMetrics limitMetrics;
    private final CompositeAuditSink sink;
    private final List<AdminRoute> routes;

    private Reporting(AuditLog auditLog, UnaryOperator<String> redactor, List<?> extraSinks, LimitsConfig limits,
            EventAttribution attribution) {
        this.auditLog = auditLog;
        this.aggregator = ReportAggregator.forDaemon();
        this.metrics = new ProxyMetrics();
        this.limitMetrics = new LimitMetrics(metrics.registry());
        metrics.bindAuditDrops(auditLog::dropped);
        limitMetrics.bindAuditShareDrops(auditLog::agentEventsOverShare);
        List<Object> sinks = new ArrayList<>(List.of(auditLog, aggregator, metrics));
        sinks.addAll(extraSinks);
        this.sink = new CompositeAuditSink(sinks, failed -> metrics.recordError("audit_sink"));
        this.routes = List.of(
                AdminRoute.get("/report", new ReportEndpoint(aggregator)),
                AdminRoute.get("/metrics", new MetricsEndpoint(metrics)),
                AdminRoute.post("/events", new EventsEndpoint(sink, redactor, Clock.systemUTC(), attribution,
                        limits.eventsPerSecond(), limits.eventsBurst(), limitMetrics)));
    }

    /**
     * Opens the audit log where the configuration (or its default, see {@link AuditLogLocation})
     * says and assembles the rest.
     *
     * @param redactor applied to the text of agent events as they arrive (request events come
     *     redacted from the AuditRecorder); should follow secret reloads
     *     ({@code text -> current redactor.redact(text)}); must accept {@code null}
     * @throws IOException when the audit log cannot be created or opened (a start-up refusal)
     */
    public static Reporting start(ProxyConfig config, UnaryOperator<String> redactor) throws IOException {
        return start(AuditLogLocation.resolve(config), redactor, List.of());
    }

    /**
     * As {@link #start(ProxyConfig, UnaryOperator)} with an explicit audit log path, and more sinks
     * that get every event too.
     *
     * @param extraSinks {@link io.credproxy.daemon.audit.AuditSink}s (and
     *     {@link io.credproxy.daemon.audit.AgentEventSink}s, for agent events): a test's recorder, the demo
     */
    public static Reporting start(Path auditLogFile, UnaryOperator<String> redactor, List<?> extraSinks) throws IOException {
        return start(auditLogFile, redactor, extraSinks, LimitsConfig.defaults(), EventAttribution.AS_CLAIMED);
    }

    /**
     * As above, with the limits {@code POST /events} applies (events per second and app) and agent
     * events attributed by {@code attribution} (the daemon's: the kernel's word on who posted them).
     */
    public static Reporting start(Path auditLogFile, UnaryOperator<String> redactor, List<?> extraSinks, LimitsConfig limits,
            EventAttribution attribution) throws IOException {
        Objects.requireNonNull(redactor, "redactor");
        List<?> extras = List.copyOf(extraSinks);
        return new Reporting(AuditLog.open(auditLogFile), redactor, extras, limits, attribution);
    }

    /** The one sink for the server: audit events (and agent events) go to log, report and metrics. */
    public CompositeAuditSink sink() {
        return sink;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    /** What the limits did (rejections by limit), on the same registry. */
    public LimitMetrics limitMetrics() {
        return limitMetrics;
    }

    public ReportAggregator aggregator() {
        return aggregator;
    }

    public AuditLog auditLog() {
        return auditLog;
    }

    /** The admin routes: {@code GET /report}, {@code GET /metrics}, {@code POST /events}. */
    public List<AdminRoute> routes() {
        return routes;
    }

    /**
     * Writes every queued audit event and closes the audit log; events recorded afterwards are
     * dropped, so call it once nothing can record any more (the proxy's event loops have stopped).
     */
    @Override
    public void close() {
        auditLog.close();
    }
}
