package io.credproxy.protocol.report;

import java.util.List;
import java.util.Map;

/**
 * One app's traffic to one destination ({@code host:port}, the real destination the daemon keyed
 * on).
 *
 * @param host destination host, lower case ({@link Report#OTHER} for the overflow bucket)
 * @param port destination port (0 for the overflow bucket)
 * @param requests requests and tunnels
 * @param decisions counts by decision wire name
 * @param statuses counts by HTTP status sent to the client ({@code "0"}: none, as for a tunnel)
 * @param bytesUp bytes sent towards the upstream
 * @param bytesDown bytes received from the upstream
 * @param firstSeenMillis earliest request, epoch milliseconds
 * @param lastSeenMillis latest request
 * @param secretNames the names of the secrets injected, sorted; never values
 */
public record DestinationReport(
        String host,
        int port,
        long requests,
        Map<String, Long> decisions,
        Map<String, Long> statuses,
        long bytesUp,
        long bytesDown,
        long firstSeenMillis,
        long lastSeenMillis,
        List<String> secretNames) {

    public DestinationReport {
        decisions = Counts.sorted(decisions);
        statuses = Counts.sorted(statuses);
        secretNames = secretNames == null ? List.of() : List.copyOf(secretNames);
    }

    /** True for the bucket that collects destinations past the per-app limit. */
    public boolean isOverflow() {
        return Report.OTHER.equals(host);
    }

    /** {@code host:port}, brackets around an IPv6 literal; {@code (other)} for the overflow bucket. */
    public String destination() {
        if (isOverflow()) {
            return Report.OTHER;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Requests with the given decision. */
    public long count(Decision decision) {
        return decisions.getOrDefault(decision.wireName(), 0L);
    }
}
