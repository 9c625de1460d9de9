package io.credproxy.daemon.admin;

/**
 * Says under which app name the events a client posts to {@code POST /events} are recorded, or
 * that it may not post them: the seam where the poster's identity (the kernel uid of a local
 * client, a token the daemon gave the agent) is checked against the app its events name.
 *
 * <p>Called on the admin executor, once per event, before anything of the batch is recorded; must
 * be fast and must not throw. The default, {@link #ALLOW_ALL}, takes every poster at its word: the
 * other limits (per-app rate, clock skew, the audit share of events, report slots) bound what a
 * lying poster can do until an identity check is plugged in.
 */
@FunctionalInterface
public interface EventsAuthorizer {
    /** Every poster may post for any app, under the name it claims. */
    EventsAuthorizer ALLOW_ALL = (request, claimedApp) -> claimedApp;

    /**
     * @param request the {@code POST /events} request (its remote address among the rest)
     * @param claimedApp the app name the event carries
     * @return the app name to record the event under (usually {@code claimedApp}), or {@code null}
     *     to refuse the whole batch with 403
     */
    String appFor(AdminRequest request, String claimedApp);
}
