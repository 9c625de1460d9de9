package io.credproxy.protocol.report;

import java.util.List;

/**
 * One audit record: a request on an intercepted connection, a plain-HTTP request, or a tunnel.
 *
 * <p>Holds secret <em>names</em> only, never values. Written as one JSON line in the audit log.
 *
 * @param timeMillis when the request (or tunnel) started, epoch milliseconds
 * @param app the app named by the agent's {@code Proxy-Authorization}, or {@code unknown}
 * @param client the client's address, {@code ip:port}
 * @param method the HTTP method, {@code CONNECT} for tunnels
 * @param scheme {@code https}, {@code http}, or {@code tunnel}
 * @param host the real destination host (CONNECT authority or absolute URL), lower case
 * @param port the real destination port
 * @param path the path without query on intercepted or plain requests; {@code null} for tunnels
 * @param decision what was done
 * @param secretNames names of the secrets added (empty unless {@link Decision#INJECTED})
 * @param status the HTTP status sent to the client; 0 when none (a tunnel, a dropped connection)
 * @param bytesUp request body bytes (tunnel: client-to-upstream bytes)
 * @param bytesDown response body bytes (tunnel: upstream-to-client bytes)
 * @param durationMillis from start to the last byte
 * @param reason a short reason for denied and error decisions; {@code null} otherwise
 */
public record AuditEvent(
        long timeMillis,
        String app,
        String client,
        String method,
        String scheme,
        String host,
        int port,
        String path,
        Decision decision,
        List<String> secretNames,
        int status,
        long bytesUp,
        long bytesDown,
        long durationMillis,
        String reason) {

    public AuditEvent {
        secretNames = secretNames == null ? List.of() : List.copyOf(secretNames);
    }
}
