package io.credproxy.daemon.report;

/**
 * How much the in-memory report may hold; past these, entries fold into {@code (other)} buckets.
 *
 * <p>With the defaults the worst case is about 100 x 256 destination aggregates, a few megabytes,
 * whatever the apps do.
 *
 * @param maxApps named apps kept; later apps are counted as {@code (other)}
 * @param maxDestinationsPerApp destinations kept per app; later ones fold into {@code (other)}
 * @param maxBypassesPerApp distinct (kind, destination, frame) bypass entries kept per app
 * @param maxClientsPerApp instrumented client names (and, apart, instrumentation failures) kept per app
 * @param maxNamesPerDestination secret names and distinct statuses kept per destination
 * @param timelineBuckets buckets in the requests-over-time series (widened as time passes)
 */
public record ReportLimits(
        int maxApps,
        int maxDestinationsPerApp,
        int maxBypassesPerApp,
        int maxClientsPerApp,
        int maxNamesPerDestination,
        int timelineBuckets) {

    public ReportLimits {
        if (maxApps < 1 || maxDestinationsPerApp < 1 || maxBypassesPerApp < 1 || maxClientsPerApp < 1
                || maxNamesPerDestination < 1 || timelineBuckets < 2) {
            throw new IllegalArgumentException("report limits must be positive (timelineBuckets >= 2)");
        }
    }

    public static ReportLimits defaults() {
        return new ReportLimits(100, 256, 128, 32, 32, 120);
    }
}
