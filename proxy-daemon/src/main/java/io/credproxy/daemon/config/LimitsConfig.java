package io.credproxy.daemon.config;

/**
 * The {@code limits:} section: how long a client may take and how much of the daemon it may hold,
 * so that a hostile workload behind the proxy cannot exhaust it.
 *
 * <p>A value of 0 for {@code maxConnections}, {@code maxConnectionsPerPeer} or
 * {@code maxBufferedHeadBytes} means "derive it at start-up" ({@link #resolve}): from the process's
 * descriptor limit and maximum heap, which only the running JVM knows.
 *
 * @param headerTimeoutMillis a whole request head (from its first byte; inside an intercepted tunnel,
 *     also the TLS handshake before the first head) must arrive within this, else 408 and close
 * @param idleTimeoutMillis a client connection with no traffic either way for this long is closed
 *     (between keep-alive requests, or in a stalled exchange)
 * @param tunnelIdleTimeoutMillis the same for a connection that became a tunnel (CONNECT, opaque or intercepted)
 * @param maxConnections client connections open at once on the proxy port; more are closed at once
 * @param maxConnectionsPerPeer of those, from one peer (its IP address, until peers have an identity)
 * @param maxBufferedHeadBytes bytes of partly received request heads held across all connections;
 *     past it, the oldest partial heads are answered 503 and closed
 * @param shutdownGraceMillis on SIGTERM, how long exchanges in flight may take to finish
 * @param adminMaxConnections connections open at once on the admin port
 * @param eventsPerSecond agent events accepted per second and app on {@code POST /events}
 * @param eventsBurst agent events an app may post at once (the token bucket's size)
 */
public record LimitsConfig(
        int headerTimeoutMillis,
        int idleTimeoutMillis,
        int tunnelIdleTimeoutMillis,
        int maxConnections,
        int maxConnectionsPerPeer,
        long maxBufferedHeadBytes,
        int shutdownGraceMillis,
        int adminMaxConnections,
        int eventsPerSecond,
        int eventsBurst) {

    public static final int DEFAULT_HEADER_TIMEOUT_MILLIS = 10_000;
    public static final int DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;
    public static final int DEFAULT_TUNNEL_IDLE_TIMEOUT_MILLIS = 600_000;
    public static final int DEFAULT_SHUTDOWN_GRACE_MILLIS = 10_000;
    public static final int DEFAULT_ADMIN_MAX_CONNECTIONS = 64;
    public static final int DEFAULT_EVENTS_PER_SECOND = 50;
    public static final int DEFAULT_EVENTS_BURST = 1_000;
    /** Descriptors kept free for the admin port, the audit log, the CA and config files, the JVM's own. */
    static final long RESERVED_DESCRIPTORS = 256;
    /** Heap a client connection in an exchange may cost (codec, handlers, upstream channel, TLS state), as budgeted. */
    static final long HEAP_PER_CONNECTION = 16 * 1024;

    public LimitsConfig {
        if (headerTimeoutMillis < 1 || idleTimeoutMillis < 1 || tunnelIdleTimeoutMillis < 1 || shutdownGraceMillis < 0
                || maxConnections < 0 || maxConnectionsPerPeer < 0 || maxBufferedHeadBytes < 0 || adminMaxConnections < 1
                || eventsPerSecond < 1 || eventsBurst < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** Every default; the three sizes still to be derived ({@link #resolve}). */
    public static LimitsConfig defaults() {
        return new LimitsConfig(DEFAULT_HEADER_TIMEOUT_MILLIS, DEFAULT_IDLE_TIMEOUT_MILLIS, DEFAULT_TUNNEL_IDLE_TIMEOUT_MILLIS,
                0, 0, 0, DEFAULT_SHUTDOWN_GRACE_MILLIS, DEFAULT_ADMIN_MAX_CONNECTIONS, DEFAULT_EVENTS_PER_SECOND,
                DEFAULT_EVENTS_BURST);
    }

    /**
     * Fills in the sizes left to the daemon.
     *
     * <p>{@code max_connections}: each client connection may hold a second descriptor upstream, so
     * half of what the descriptor limit leaves after {@value #RESERVED_DESCRIPTORS} reserved ones
     * (and the admin port's), and no more than a quarter of the heap at {@value #HEAP_PER_CONNECTION}
     * bytes each. {@code max_connections_per_peer}: half of that, so one peer never holds them all.
     * {@code max_buffered_head_bytes}: an eighth of the heap (a partial head costs about 1.25 times
     * its size in heap, measured: 500 heads of 31 KiB took 19 MiB).
     *
     * @param descriptorLimit the process's open-file limit; {@code <= 0} when unknown
     * @param maxHeap {@code Runtime.maxMemory()}
     */
    public LimitsConfig resolve(long descriptorLimit, long maxHeap) {
        int connections = maxConnections;
        if (connections == 0) {
            long byHeap = maxHeap / 4 / HEAP_PER_CONNECTION;
            long byDescriptors = descriptorLimit <= 0 ? byHeap
                    : (descriptorLimit - RESERVED_DESCRIPTORS - adminMaxConnections) / 2;
            connections = (int) Math.max(16, Math.min(Integer.MAX_VALUE, Math.min(byHeap, byDescriptors)));
        }
        int perPeer = maxConnectionsPerPeer == 0 ? Math.max(1, connections / 2) : Math.min(maxConnectionsPerPeer, connections);
        long heads = maxBufferedHeadBytes == 0 ? Math.max(1024 * 1024, maxHeap / 8) : maxBufferedHeadBytes;
        return new LimitsConfig(headerTimeoutMillis, idleTimeoutMillis, tunnelIdleTimeoutMillis, connections, perPeer, heads,
                shutdownGraceMillis, adminMaxConnections, eventsPerSecond, eventsBurst);
    }
}
