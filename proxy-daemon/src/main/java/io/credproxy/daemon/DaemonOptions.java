package io.credproxy.daemon;

import io.credproxy.daemon.admin.AdminEndpoint;
import io.credproxy.daemon.admin.AdminRoute;
import io.credproxy.daemon.audit.AuditSink;
import io.credproxy.daemon.secrets.SecretStore;
import io.credproxy.daemon.server.Transport;
import io.credproxy.daemon.tls.CertificateAuthority;
import io.credproxy.daemon.tls.LeafCertificateFactory;
import io.credproxy.daemon.tls.LeafIssuer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How {@link Daemon#start} wires the daemon, besides its configuration.
 *
 * @param auditSink also receives every event, besides the daemon's own audit log, report and
 *     metrics (which are always there): one per request and per tunnel, and the agents' events when
 *     it is an {@link io.credproxy.daemon.audit.AgentEventSink} too (default: none)
 * @param secretStore reads the secrets source (default: the process environment for
 *     {@code systemd-credential:})
 * @param workerThreads network event loops (default: one per core)
 * @param maxCachedHosts leaf certificates kept for intercepted hosts
 * @param adminEndpoints extra admin endpoints, registered at start
 * @param leafIssuer what mints leaf certificates with the daemon's CA (default: {@link LeafCertificateFactory};
 *     tests put a slow or failing one in its place)
 */
public record DaemonOptions(
        AuditSink auditSink,
        SecretStore secretStore,
        int workerThreads,
        int maxCachedHosts,
        List<AdminRoute> adminEndpoints,
        Function<CertificateAuthority, LeafIssuer> leafIssuer) {

    public static final int DEFAULT_MAX_CACHED_HOSTS = 1024;

    public DaemonOptions {
        Objects.requireNonNull(auditSink, "auditSink");
        Objects.requireNonNull(secretStore, "secretStore");
        Objects.requireNonNull(leafIssuer, "leafIssuer");
        if (workerThreads < 1 || maxCachedHosts < 1) {
            throw new IllegalArgumentException("workerThreads and maxCachedHosts must be positive");
        }
        adminEndpoints = List.copyOf(adminEndpoints);
    }

    public static DaemonOptions defaults() {
        return new DaemonOptions(AuditSink.discarding(), new SecretStore(), Transport.defaultWorkerThreads(),
                DEFAULT_MAX_CACHED_HOSTS, List.of(), LeafCertificateFactory::new);
    }

    public DaemonOptions withAuditSink(AuditSink sink) {
        return new DaemonOptions(sink, secretStore, workerThreads, maxCachedHosts, adminEndpoints, leafIssuer);
    }

    public DaemonOptions withSecretStore(SecretStore store) {
        return new DaemonOptions(auditSink, store, workerThreads, maxCachedHosts, adminEndpoints, leafIssuer);
    }

    public DaemonOptions withWorkerThreads(int threads) {
        return new DaemonOptions(auditSink, secretStore, threads, maxCachedHosts, adminEndpoints, leafIssuer);
    }

    public DaemonOptions withMaxCachedHosts(int hosts) {
        return new DaemonOptions(auditSink, secretStore, workerThreads, hosts, adminEndpoints, leafIssuer);
    }

    public DaemonOptions withAdminEndpoint(String method, String path, AdminEndpoint endpoint) {
        List<AdminRoute> routes = new ArrayList<>(adminEndpoints);
        routes.add(new AdminRoute(method, path, endpoint));
        return new DaemonOptions(auditSink, secretStore, workerThreads, maxCachedHosts, routes, leafIssuer);
    }

    public DaemonOptions withLeafIssuer(Function<CertificateAuthority, LeafIssuer> issuer) {
        return new DaemonOptions(auditSink, secretStore, workerThreads, maxCachedHosts, adminEndpoints, issuer);
    }
}
