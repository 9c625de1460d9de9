package io.credproxy.daemon.server;

import io.credproxy.daemon.config.LimitsConfig;
import io.credproxy.daemon.limits.ClientLimits;
import io.credproxy.daemon.limits.FileDescriptors;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.StageChain;
import io.credproxy.daemon.policy.PolicyHolder;
import io.credproxy.daemon.tls.LeafMinter;

/**
 * The daemon-wide collaborators every proxy connection uses.
 *
 * @param policies the policy in force (read once per request or CONNECT)
 * @param leaves leaf certificates for intercepted hosts, minted off the event loops
 * @param upstreams where upstream connections come from
 * @param stages the stages every connection, tunnel and request goes through
 * @param responseTimeoutMillis how long to wait for an upstream's response head before 504
 * @param metrics connection counts and failures
 * @param limits the timeouts and budgets client connections are held to
 */
public record ProxyContext(
        PolicyHolder policies,
        LeafMinter leaves,
        Upstreams upstreams,
        StageChain stages,
        int responseTimeoutMillis,
        int connectTimeoutMillis,
        ProxyMetrics metrics,
        ClientLimits limits) {

    /** With the default limits, sized for this JVM (tests). */
    public ProxyContext(PolicyHolder policies, LeafMinter leaves, Upstreams upstreams, StageChain stages,
            int responseTimeoutMillis, int connectTimeoutMillis, ProxyMetrics metrics) {
        this(policies, leaves, upstreams, stages, responseTimeoutMillis, connectTimeoutMillis, metrics,
                new ClientLimits(LimitsConfig.defaults().resolve(FileDescriptors.limit(), Runtime.getRuntime().maxMemory()),
                        new LimitMetrics(metrics.registry())));
    }
}
