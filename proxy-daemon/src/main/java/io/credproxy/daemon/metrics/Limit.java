package io.credproxy.daemon.metrics;

/**
 * The limits that can turn a client away or cut it off (the {@code limit} label of
 * {@code credproxy_limit_rejections_total}): a small fixed set, exported at 0 from the start.
 */
public enum Limit {
    /** {@code limits.max_connections}: a new client connection was closed at once. */
    MAX_CONNECTIONS("max_connections"),
    /** {@code limits.max_connections_per_peer}: the same, for one peer. */
    MAX_CONNECTIONS_PER_PEER("max_connections_per_peer"),
    /** {@code limits.max_buffered_head_bytes}: a partial request head was answered 503 to make room. */
    BUFFERED_HEADS("max_buffered_head_bytes"),
    /** {@code limits.header_timeout_ms}: a request head (or a tunnel's TLS handshake) took too long. */
    HEADER_TIMEOUT("header_timeout"),
    /** {@code limits.idle_timeout_ms}: a connection without traffic was closed. */
    IDLE_TIMEOUT("idle_timeout"),
    /** {@code limits.tunnel_idle_timeout_ms}: a tunnel without traffic was closed. */
    TUNNEL_IDLE_TIMEOUT("tunnel_idle_timeout"),
    /** {@code limits.admin_max_connections}: an admin connection was closed at once. */
    ADMIN_CONNECTIONS("admin_max_connections"),
    /** The admin port's budget for requests in flight (heads and bodies) was spent: 503. */
    ADMIN_BODIES("admin_body_budget"),
    /** An admin request (head and body) or an idle admin connection took too long. */
    ADMIN_TIMEOUT("admin_timeout"),
    /** {@code limits.events_per_second}: agent events refused by the rate limit (counted per event). */
    EVENTS_RATE("events_rate"),
    /** Agent events whose time was far from the daemon's clock; recorded at their arrival time instead. */
    EVENTS_TIME_SKEW("events_time_skew"),
    /** {@code LeafMinter.MAX_WAITING}: a new host's leaf could not be queued for minting; its TLS handshake failed. */
    LEAF_MINT_QUEUE("leaf_mint_queue"),
    /** {@code limits.shutdown_grace_ms}: a connection still busy when the grace ran out was closed. */
    SHUTDOWN_GRACE("shutdown_grace");

    private final String metricName;

    Limit(String metricName) {
        this.metricName = metricName;
    }

    /** The label value. */
    public String metricName() {
        return metricName;
    }
}
