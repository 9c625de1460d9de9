package io.credproxy.daemon.server;

import io.credproxy.protocol.config.HostPort;

/**
 * Identifies interchangeable upstream connections: same scheme, same real host and port.
 *
 * <p>The host is the real destination, which is also the TLS server name and the name the
 * certificate was checked against: a pooled connection is never reused for another host, even
 * when {@code upstream.resolve} maps two names to one address.
 */
public record UpstreamKey(boolean tls, HostPort destination) {
    @Override
    public String toString() {
        return (tls ? "https://" : "http://") + destination;
    }
}
