package io.credproxy.agent;

import io.credproxy.agent.events.EventTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code POST /events} on the daemon's admin port: 202 delivered, 4xx refused, anything else retried. */
final class AdminEventTransport implements EventTransport {
    /** Short: the last batch is sent from a shutdown hook, which must not hold up the JVM's exit. */
    private static final int TIMEOUT_MILLIS = 500;

    private final AdminClient admin;

    AdminEventTransport(io.credproxy.agent.bootstrap.DaemonAddress admin) {
        this.admin = new AdminClient(admin, TIMEOUT_MILLIS);
    }

    @Override
    public void send(String jsonArray) throws IOException {
        // AgentEventJson writes pure ASCII.
        AdminClient.Response response = admin.post("/events", "application/json", jsonArray.getBytes(StandardCharsets.US_ASCII));
        if (response.status >= 400 && response.status < 500) {
            throw new Rejected("the daemon answered " + response.status + " to a batch of events");
        }
        if (response.status != 202 && response.status != 200) {
            throw new IOException("the daemon answered " + response.status);
        }
    }
}
