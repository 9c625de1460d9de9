package io.credproxy.protocol.report;

import java.util.List;

/**
 * The per-app routing report: where each app's traffic went, which credentials were added and what
 * the agent refused or rerouted. The body of {@code GET /report} and of {@code credproxy report
 * --format json}.
 *
 * <p>Holds secret <em>names</em> only, never values. Memory is bounded by the producer: past its
 * limits, apps fold into an app named {@value #OTHER} and destinations into a destination with host
 * {@value #OTHER} and port 0, whose counts say how much was folded.
 *
 * @param generatedMillis when this snapshot was taken, epoch milliseconds
 * @param source {@code daemon} for the live aggregates, {@code audit-log} when read from files
 * @param firstSeenMillis the earliest event counted, 0 when there is none
 * @param lastSeenMillis the latest event counted, 0 when there is none
 * @param requests requests and tunnels counted, all apps
 * @param apps one entry per app, most requests first
 * @param timeline requests over time, per app
 */
public record Report(
        long generatedMillis,
        String source,
        long firstSeenMillis,
        long lastSeenMillis,
        long requests,
        List<AppReport> apps,
        Timeline timeline) {

    /** The name of the bucket that collects apps or destinations past the limits. */
    public static final String OTHER = "(other)";
    public static final String SOURCE_DAEMON = "daemon";
    public static final String SOURCE_AUDIT_LOG = "audit-log";

    public Report {
        apps = apps == null ? List.of() : List.copyOf(apps);
        timeline = timeline == null ? Timeline.EMPTY : timeline;
    }
}
