package io.credproxy.daemon.report;

import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.BypassReport;
import io.credproxy.protocol.report.DestinationReport;
import io.credproxy.protocol.report.InstrumentationFailure;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds report records whose totals are derived from their parts, so they always agree. */
final class Reports {
    /** Most requests first; the overflow bucket last; then by name, for stable output. */
    static final Comparator<DestinationReport> DESTINATION_ORDER = Comparator
            .comparing(DestinationReport::isOverflow)
            .thenComparing(Comparator.comparingLong(DestinationReport::requests).reversed())
            .thenComparing(DestinationReport::destination);

    /** Most recent first, then the most frequent. */
    static final Comparator<BypassReport> BYPASS_ORDER = Comparator
            .comparingLong(BypassReport::lastSeenMillis).reversed()
            .thenComparing(Comparator.comparingLong(BypassReport::count).reversed())
            .thenComparing(BypassReport::destination);

    /** Most requests first, then by name. */
    static final Comparator<AppReport> APP_ORDER = Comparator
            .comparingLong(AppReport::requests).reversed()
            .thenComparing(AppReport::app);

    private Reports() {}

    /** An app report whose request, decision and byte totals are the sums over its destinations. */
    static AppReport app(String app, List<DestinationReport> destinations, List<BypassReport> bypasses,
                         List<String> clients, List<InstrumentationFailure> failures, long firstSeen, long lastSeen,
                         IdentityAggregate.AppIdentity identity) {
        long requests = 0;
        long up = 0;
        long down = 0;
        Map<String, Long> decisions = new HashMap<>();
        for (DestinationReport d : destinations) {
            requests += d.requests();
            up += d.bytesUp();
            down += d.bytesDown();
            d.decisions().forEach((k, v) -> decisions.merge(k, v, Long::sum));
        }
        return new AppReport(app, requests, decisions, up, down, firstSeen, lastSeen, clients,
                destinations.stream().sorted(DESTINATION_ORDER).toList(),
                bypasses.stream().sorted(BYPASS_ORDER).toList(), failures.stream().sorted().toList(), identity.uids(),
                identity.claimedApps(), identity.secretNamesUsed(), identity.secretNamesRefused());
    }
}
