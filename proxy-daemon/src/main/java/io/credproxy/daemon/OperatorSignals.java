package io.credproxy.daemon;

import io.credproxy.daemon.admin.AdminRoute;
import io.credproxy.daemon.admin.ReadinessEndpoint;
import io.credproxy.daemon.buildinfo.BuildInfo;
import io.credproxy.daemon.metrics.DaemonStateMeters;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.policy.PolicyHolder;
import io.credproxy.daemon.server.ProxyServer;
import io.credproxy.daemon.tls.CertificateAuthority;
import java.time.Clock;

/**
 * What an operator watches besides the traffic, wired once the proxy port is bound: {@code GET /readyz}
 * and the meters for the build, config reloads and the CA's expiry. (Descriptors and the JVM come
 * with {@link ProxyMetrics} itself.)
 */
final class OperatorSignals {
    private OperatorSignals() {}

    /** Binds the meters and returns the {@code /readyz} route to register. */
    static AdminRoute install(ProxyMetrics metrics, PolicyHolder policy, CertificateAuthority ca, ProxyServer proxy) {
        BuildInfo build = BuildInfo.current();
        String commit = build.commit() + (build.dirty() && !build.commit().equals(BuildInfo.UNKNOWN) ? "-dirty" : "");
        DaemonStateMeters.bindBuildInfo(metrics, build.version(), commit, System.getProperty("java.version"));
        DaemonStateMeters.bindCaNotAfter(metrics, ca.certificate().getNotAfter().toInstant());
        DaemonStateMeters.bindConfigReloads(metrics, policy::reloadFailures, policy::loadedAt);
        return AdminRoute.get("/readyz", new ReadinessEndpoint(proxy::listening, policy, ca.certificate(), Clock.systemUTC()));
    }
}
