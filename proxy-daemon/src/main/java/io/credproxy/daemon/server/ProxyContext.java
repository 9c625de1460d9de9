package io.credproxy.daemon.server;

import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.StageChain;
import io.credproxy.daemon.policy.PolicyHolder;
import io.credproxy.daemon.tls.ServerSslContexts;

/**
 * The daemon-wide collaborators every proxy connection uses.
 *
 * @param policies the policy in force (read once per request or CONNECT)
 * @param serverContexts leaf certificates for intercepted hosts
 * @param upstreams where upstream connections come from
 * @param stages the stages every connection, tunnel and request goes through
 * @param responseTimeoutMillis how long to wait for an upstream's response head before 504
 * @param metrics connection counts and failures
 */
public record ProxyContext(
        PolicyHolder policies,
        ServerSslContexts serverContexts,
        Upstreams upstreams,
        StageChain stages,
        int responseTimeoutMillis,
        int connectTimeoutMillis,
        ProxyMetrics metrics) {}
