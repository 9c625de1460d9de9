package io.credproxy.agent.events;

import java.io.IOException;

/** Delivers one batch of agent events, a JSON array, to the daemon. */
public interface EventTransport {
    /**
     * Sends {@code jsonArray}.
     *
     * @throws Rejected when the daemon answered that the batch is bad: sending it again cannot help
     * @throws IOException when it could not be delivered now (the daemon is down): worth trying again
     */
    void send(String jsonArray) throws IOException;

    /** The daemon refused the batch itself (a 4xx answer). */
    final class Rejected extends IOException {
        private static final long serialVersionUID = 1L;

        public Rejected(String message) {
            super(message);
        }
    }
}
