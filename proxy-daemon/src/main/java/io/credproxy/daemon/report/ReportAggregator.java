package io.credproxy.daemon.report;

import io.credproxy.daemon.audit.AgentEventSink;
import io.credproxy.daemon.audit.AuditSink;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.ProxyIdentity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the per-app, per-destination aggregates behind {@code GET /report} and
 * {@code credproxy report}, in bounded memory.
 *
 * <p>Fed by the daemon with every audit event and every agent event, or by the CLI while it streams
 * an audit log. Thread-safe: each app's totals have their own lock, held for a few map updates, so
 * event loops recording different apps never wait on each other and none ever waits on I/O. Past
 * {@link ReportLimits}, new apps are counted under {@link Report#OTHER} and new destinations under a
 * per-app {@code (other)} destination: totals stay exact, memory does not grow.
 *
 * <p>Only names seen in proxied traffic take the {@code maxApps} slots. Anyone on the host can post
 * agent events under any name, so a name seen only in events lives in a small pool of its own (a
 * fifth of {@code maxApps}), then in one shared {@value #EVENTS_ONLY} entry; it moves to the named
 * apps, with what it has gathered, when traffic under that name arrives. A flood of invented event
 * names can therefore never fold a real app into {@link Report#OTHER}.
 */
public final class ReportAggregator implements AuditSink, AgentEventSink {
    /** Where events of names seen only in events go once their own pool is full. */
    public static final String EVENTS_ONLY = "(events-only)";

    private final ReportLimits limits;
    private final Clock clock;
    private final String source;
    private final ConcurrentHashMap<String, AppAggregate> apps = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AppAggregate> eventsOnly = new ConcurrentHashMap<>();
    private final TimelineAggregate timeline;

    /**
     * @param source {@link Report#SOURCE_DAEMON} or {@link Report#SOURCE_AUDIT_LOG}, copied into snapshots
     */
    public ReportAggregator(ReportLimits limits, Clock clock, String source) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.source = Objects.requireNonNull(source, "source");
        this.timeline = new TimelineAggregate(limits.timelineBuckets());
    }

    /** The daemon's live aggregator with the default limits. */
    public static ReportAggregator forDaemon() {
        return new ReportAggregator(ReportLimits.defaults(), Clock.systemUTC(), Report.SOURCE_DAEMON);
    }

    @Override
    public void record(AuditEvent event) {
        if (event == null) {
            return;
        }
        AppAggregate app = trafficApp(event.app());
        synchronized (app) {
            app.add(event);
        }
        timeline.add(event.timeMillis(), app.name());
    }

    @Override
    public void recordAgentEvent(AgentEvent event) {
        if (event == null) {
            return;
        }
        AppAggregate app = eventApp(event.app());
        synchronized (app) {
            app.add(event);
        }
    }

    /** A consistent copy of the aggregates at this moment; apps with the most requests first. */
    public Report snapshot() {
        List<AppReport> reports = new ArrayList<>(apps.size());
        List<AppAggregate> all;
        synchronized (apps) {
            all = new ArrayList<>(apps.values());
            all.addAll(eventsOnly.values());
        }
        for (AppAggregate app : all) {
            synchronized (app) {
                reports.add(app.snapshot());
            }
        }
        reports.sort(Reports.APP_ORDER);
        long requests = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (AppReport a : reports) {
            requests += a.requests();
            first = Math.min(first, a.firstSeenMillis());
            last = Math.max(last, a.lastSeenMillis());
        }
        return new Report(clock.millis(), source, reports.isEmpty() ? 0 : first, reports.isEmpty() ? 0 : last,
                requests, reports, timeline.snapshot());
    }

    /** The aggregate for traffic under {@code rawName}: named while there is room (taking over what its events gathered). */
    private AppAggregate trafficApp(String rawName) {
        return app(ProxyIdentity.sanitizeApp(rawName), true);
    }

    /** The aggregate for events under {@code rawName}: its named app if traffic made one, else the events-only pool. */
    private AppAggregate eventApp(String rawName) {
        return app(ProxyIdentity.sanitizeApp(rawName), false);
    }

    private AppAggregate app(String name, boolean traffic) {
        AppAggregate app = apps.get(name);
        if (app != null) {
            return app;
        }
        synchronized (apps) {
            app = apps.get(name);
            if (app != null) {
                return app;
            }
            if (!traffic) {
                app = eventsOnly.get(name);
                String key = app != null || eventsOnly.size() < Math.max(1, limits.maxApps() / 5) ? name : EVENTS_ONLY;
                return eventsOnly.computeIfAbsent(key, n -> new AppAggregate(n, limits));
            }
            if (apps.size() >= limits.maxApps()) {
                return apps.computeIfAbsent(Report.OTHER, n -> new AppAggregate(n, limits));
            }
            AppAggregate gathered = eventsOnly.remove(name);
            return apps.computeIfAbsent(name, n -> gathered != null ? gathered : new AppAggregate(n, limits));
        }
    }
}
