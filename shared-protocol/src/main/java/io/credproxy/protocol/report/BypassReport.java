package io.credproxy.protocol.report;

/**
 * Raw socket connects the agent caught in one app, grouped by kind, destination and frame.
 *
 * @param kind {@code socket_tunneled} or {@code socket_blocked}
 * @param host destination host the application asked for ({@link Report#OTHER} for the overflow entry)
 * @param port destination port (0 for the overflow entry)
 * @param frame the application frame that opened the socket, {@code class.method}, or {@code null}
 * @param client the socket API ({@code java.net.Socket}, ...), or {@code null}
 * @param count how many times
 * @param firstSeenMillis first time, epoch milliseconds
 * @param lastSeenMillis last time
 */
public record BypassReport(
        String kind,
        String host,
        int port,
        String frame,
        String client,
        long count,
        long firstSeenMillis,
        long lastSeenMillis) {

    public static final String TUNNELED = "socket_tunneled";
    public static final String BLOCKED = "socket_blocked";

    /** True when the agent refused the connect. */
    public boolean blocked() {
        return BLOCKED.equals(kind);
    }

    /** {@code host:port}; {@code (other)} for the overflow entry. */
    public String destination() {
        if (Report.OTHER.equals(host)) {
            return Report.OTHER;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
