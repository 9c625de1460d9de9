package io.credproxy.daemon.admin;

import io.credproxy.daemon.config.LimitsConfig;

/**
 * What the admin port lets one client hold, apart from the proxy's limits (it has its own event
 * loop and its own connections).
 *
 * @param maxConnections admin connections open at once; more are closed at once
 * @param requestTimeoutMillis a request head must arrive within this from its first byte, and its
 *     body within this again
 * @param idleTimeoutMillis an admin connection without traffic is closed after this
 * @param bodyBudgetBytes request bytes held across all admin connections at once, from the first
 *     body byte until the endpoint has answered; a body that does not fit gets 503
 */
public record AdminLimits(int maxConnections, int requestTimeoutMillis, int idleTimeoutMillis, long bodyBudgetBytes) {
    /** Four bodies of the largest size at once: enough for many agents, a few MiB at most. */
    public static final long DEFAULT_BODY_BUDGET_BYTES = 4L * AdminServer.MAX_BODY_BYTES;
    /** Admin clients (agents, scrapers, curl) send a request and go; an idle one does not keep a slot long. */
    public static final int MAX_IDLE_MILLIS = 15_000;

    public AdminLimits {
        if (maxConnections < 1 || requestTimeoutMillis < 1 || idleTimeoutMillis < 1 || bodyBudgetBytes < AdminServer.MAX_BODY_BYTES) {
            throw new IllegalArgumentException("admin limits must be positive, the body budget at least one body");
        }
    }

    public static AdminLimits from(LimitsConfig limits) {
        return new AdminLimits(limits.adminMaxConnections(), limits.headerTimeoutMillis(),
                Math.min(limits.idleTimeoutMillis(), MAX_IDLE_MILLIS), DEFAULT_BODY_BUDGET_BYTES);
    }

    public static AdminLimits defaults() {
        return from(LimitsConfig.defaults());
    }
}
