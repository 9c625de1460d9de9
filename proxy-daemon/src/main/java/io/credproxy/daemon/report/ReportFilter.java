package io.credproxy.daemon.report;

import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.BypassReport;
import io.credproxy.protocol.report.DestinationReport;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.report.Timeline;
import io.credproxy.protocol.report.TimelineBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Narrows a finished report to one app and to what was seen since a time.
 *
 * <p>Used for the live report, whose aggregates have no per-request times: "since" keeps the
 * destinations and bypass entries <em>last seen</em> at or after that time (their counts still
 * cover the daemon's whole run) and the timeline buckets that end after it. Reading an audit log,
 * the CLI filters the events themselves, which is exact.
 */
public final class ReportFilter {
    private ReportFilter() {}

    /**
     * @param app keep only this app; {@code null} keeps all
     * @param sinceMillis keep only what was seen at or after this time; 0 keeps all
     */
    public static Report apply(Report report, String app, long sinceMillis) {
        if (app == null && sinceMillis <= 0) {
            return report;
        }
        List<AppReport> apps = new ArrayList<>();
        for (AppReport a : report.apps()) {
            if (app != null && !app.equals(a.app())) {
                continue;
            }
            AppReport kept = sinceMillis <= 0 ? a : since(a, sinceMillis);
            if (kept != null) {
                apps.add(kept);
            }
        }
        apps.sort(Reports.APP_ORDER);
        long requests = apps.stream().mapToLong(AppReport::requests).sum();
        long first = apps.stream().mapToLong(AppReport::firstSeenMillis).min().orElse(0);
        long last = apps.stream().mapToLong(AppReport::lastSeenMillis).max().orElse(0);
        return new Report(report.generatedMillis(), report.source(), first, last, requests, apps,
                timeline(report.timeline(), app, sinceMillis));
    }

    private static AppReport since(AppReport a, long since) {
        List<DestinationReport> ds = a.destinations().stream().filter(d -> d.lastSeenMillis() >= since).toList();
        List<BypassReport> bs = a.bypasses().stream().filter(b -> b.lastSeenMillis() >= since).toList();
        if (ds.isEmpty() && bs.isEmpty() && a.lastSeenMillis() < since) {
            return null;
        }
        long first = Math.max(since, a.firstSeenMillis());
        return Reports.app(a.app(), ds, bs, a.instrumentedClients(), a.instrumentationFailures(), first, a.lastSeenMillis(),
                IdentityAggregate.AppIdentity.of(a));
    }

    private static Timeline timeline(Timeline timeline, String app, long since) {
        List<TimelineBucket> buckets = new ArrayList<>();
        for (TimelineBucket b : timeline.buckets()) {
            if (b.startMillis() + timeline.bucketMillis() <= since) {
                continue;
            }
            if (app == null) {
                buckets.add(b);
            } else if (b.requestsByApp().containsKey(app)) {
                buckets.add(new TimelineBucket(b.startMillis(), Map.of(app, b.requestsByApp().get(app))));
            }
        }
        return buckets.isEmpty() ? Timeline.EMPTY : new Timeline(timeline.bucketMillis(), buckets);
    }
}
