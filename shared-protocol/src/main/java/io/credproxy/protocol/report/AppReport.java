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
        List<InstrumentationFailure> instrumentationFailures) {

    public AppReport {
        decisions = Counts.sorted(decisions);
        instrumentedClients = instrumentedClients == null ? List.of() : List.copyOf(instrumentedClients);
        destinations = destinations == null ? List.of() : List.copyOf(destinations);
        bypasses = bypasses == null ? List.of() : List.copyOf(bypasses);
        instrumentationFailures = instrumentationFailures == null ? List.of() : List.copyOf(instrumentationFailures);
    }

    /** A report without instrumentation failures (the schema before they were reported). */
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
