package io.credproxy.protocol.report;

import java.util.List;
import java.util.Map;

/**
 * What one app did: its destinations and the agent's bypass events.
 *
 * @param app the app name ({@link Report#OTHER} for apps past the limit)
 * @param requests requests and tunnels, all destinations
 * @param decisions counts by decision wire name ({@code injected}, {@code tunnel}, ...)
 * @param bytesUp bytes sent towards upstreams, all destinations
 * @param bytesDown bytes received from upstreams, all destinations
 * @param firstSeenMillis the app's earliest event (requests and agent events), epoch milliseconds
 * @param lastSeenMillis the app's latest event
 * @param instrumentedClients the clients the agent reported it instrumented, sorted
 * @param destinations per destination, most requests first
 * @param bypasses the agent's socket events (raw connects tunneled or blocked), most recent first
 * @param instrumentationFailures the hooks the agent reported it could not weave, sorted: errors
 * @param uids the Unix users the kernel reported for this app's connections, sorted (empty when the
 *     daemon does not identify peers)
 * @param claimedApps names this app's clients claimed instead (the kernel contradicted them), with
 *     how many requests and events claimed each
 * @param secretNamesUsed the names of the secrets added to this app's requests, sorted
 * @param secretNamesRefused the names of the secrets this app was refused (outside the rules' apps,
 *     methods or paths), sorted
 */
public record AppReport(
        String app,
        long requests,
        Map<String, Long> decisions,
        long bytesUp,
        long bytesDown,
        long firstSeenMillis,
        long lastSeenMillis,
        List<String> instrumentedClients,
        List<DestinationReport> destinations,
        List<BypassReport> bypasses,
        List<InstrumentationFailure> instrumentationFailures,
        List<Long> uids,
        Map<String, Long> claimedApps,
        List<String> secretNamesUsed,
        List<String> secretNamesRefused) {

    public AppReport {
        decisions = Counts.sorted(decisions);
        instrumentedClients = instrumentedClients == null ? List.of() : List.copyOf(instrumentedClients);
        destinations = destinations == null ? List.of() : List.copyOf(destinations);
        bypasses = bypasses == null ? List.of() : List.copyOf(bypasses);
        instrumentationFailures = instrumentationFailures == null ? List.of() : List.copyOf(instrumentationFailures);
        uids = uids == null ? List.of() : List.copyOf(uids);
        claimedApps = Counts.sorted(claimedApps);
        secretNamesUsed = secretNamesUsed == null ? List.of() : List.copyOf(secretNamesUsed);
        secretNamesRefused = secretNamesRefused == null ? List.of() : List.copyOf(secretNamesRefused);
    }

    /** A report without identity facts (a daemon that does not identify peers, or an older report). */
    public AppReport(String app, long requests, Map<String, Long> decisions, long bytesUp, long bytesDown,
            long firstSeenMillis, long lastSeenMillis, List<String> instrumentedClients, List<DestinationReport> destinations,
            List<BypassReport> bypasses, List<InstrumentationFailure> instrumentationFailures) {
        this(app, requests, decisions, bytesUp, bytesDown, firstSeenMillis, lastSeenMillis, instrumentedClients, destinations,
                bypasses, instrumentationFailures, List.of(), Map.of(), List.of(), List.of());
    }

    /** A report without instrumentation failures or identity facts (the schema before they were reported). */
    public AppReport(String app, long requests, Map<String, Long> decisions, long bytesUp, long bytesDown,
            long firstSeenMillis, long lastSeenMillis, List<String> instrumentedClients, List<DestinationReport> destinations,
            List<BypassReport> bypasses) {
        this(app, requests, decisions, bytesUp, bytesDown, firstSeenMillis, lastSeenMillis, instrumentedClients, destinations,
                bypasses, List.of());
    }

    /** Requests with the given decision. */
    public long count(Decision decision) {
        return decisions.getOrDefault(decision.wireName(), 0L);
    }

    /** Socket connects the agent blocked or tunneled, summed over all bypass entries. */
    public long bypassAttempts() {
        return bypasses.stream().mapToLong(BypassReport::count).sum();
    }
}
