package io.credproxy.protocol.report;

import java.util.List;

/**
 * One audit record: a request on an intercepted connection, a plain-HTTP request, or a tunnel.
 *
 * <p>Holds secret <em>names</em> only, never values. Written as one JSON line in the audit log.
 *
 * @param timeMillis when the request (or tunnel) started, epoch milliseconds
 * @param app the app the request counts for: the name the agent sent in {@code Proxy-Authorization}
 *     (or {@code unknown}); with the daemon's {@code apps:} configured, the app the kernel vouches for
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
 * @param claimedApp the name the client claimed when it is not {@code app} (the kernel contradicted it,
 *     or vouched for nobody); {@code null} otherwise
 * @param uid the Unix user that owns the client's socket, as the kernel reported it; {@code null}
 *     when not looked up (no {@code apps:} configured) or unknown
 * @param refusedSecretNames names of the secrets the request was refused because it was outside the
 *     rules' apps, methods or paths (decision {@code denied}); empty otherwise
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
        String reason,
        String claimedApp,
        Long uid,
        List<String> refusedSecretNames) {

    public AuditEvent {
        secretNames = secretNames == null ? List.of() : List.copyOf(secretNames);
        refusedSecretNames = refusedSecretNames == null ? List.of() : List.copyOf(refusedSecretNames);
    }

    /** An event without identity facts (no {@code apps:} configured, or written before they existed). */
    public AuditEvent(long timeMillis, String app, String client, String method, String scheme, String host, int port,
            String path, Decision decision, List<String> secretNames, int status, long bytesUp, long bytesDown,
            long durationMillis, String reason) {
        this(timeMillis, app, client, method, scheme, host, port, path, decision, secretNames, status, bytesUp, bytesDown,
                durationMillis, reason, null, null, List.of());
    }
}
