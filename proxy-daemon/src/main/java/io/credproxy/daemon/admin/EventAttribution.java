package io.credproxy.daemon.admin;

import io.credproxy.daemon.identity.Caller;
import java.util.function.Function;

/**
 * Who posted a batch of agent events ({@code POST /events}): turns the app each event claims into the
 * app it counts for. A {@link Caller#refused() refused} caller refuses the whole batch (403).
 */
@FunctionalInterface
public interface EventAttribution {
    /** Events count for the app they name: no identification. */
    EventAttribution AS_CLAIMED = request -> Caller::claimed;

    /** The attribution of this request's events; called once per request, off the event loops. */
    Function<String, Caller> forRequest(AdminRequest request);
}
