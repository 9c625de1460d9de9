package io.credproxy.daemon;

import io.credproxy.daemon.admin.AdminRoute;
import io.credproxy.daemon.admin.HealthEndpoint;
import io.credproxy.daemon.admin.TransparentEndpoint;
import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.config.LimitsConfig;
import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.egress.AddressPolicy;
import io.credproxy.daemon.limits.ClientLimits;
import io.credproxy.daemon.limits.LoopHeartbeat;
import io.credproxy.daemon.limits.ProxyHealth;
import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.pipeline.AuditRecorder;
import io.credproxy.daemon.pipeline.ConnectionLimitStage;
import io.credproxy.daemon.pipeline.EgressStage;
import io.credproxy.daemon.pipeline.IdentityStage;
import io.credproxy.daemon.pipeline.StageChain;
import io.credproxy.daemon.policy.PolicyHolder;
import io.credproxy.daemon.server.ProxyContext;
import io.credproxy.daemon.server.ProxyServer;
import io.credproxy.daemon.server.Transport;
import io.credproxy.daemon.server.UpstreamConnector;
import io.credproxy.daemon.tls.LeafMinter;
import io.credproxy.daemon.tls.ServerSslContexts;
import io.credproxy.daemon.tls.UpstreamTls;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy side of a running daemon: its event loops, the upstream connector, the listening proxy
 * port with its stage chain and limits, and what {@code /healthz} checks. Started and stopped by
 * {@link Daemon}.
 */
final class ProxyRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final long REDRAIN_NANOS = 500_000_000L;

    private final Transport transport;
    private final UpstreamConnector connector;
    private final ProxyServer server;
    private final LoopHeartbeat heartbeat;
    private final ProxyHealth health;
    private final EgressStage egress;
    private final LeafMinter leaves;

    private ProxyRuntime(Transport transport, UpstreamConnector connector, ProxyServer server, LoopHeartbeat heartbeat,
            ProxyHealth health, EgressStage egress, LeafMinter leaves) {
        this.egress = egress;
        this.leaves = leaves;
        this.transport = transport;
        this.connector = connector;
        this.server = server;
        this.heartbeat = heartbeat;
        this.health = health;
    }

    /**
     * Binds the proxy port; on failure releases whatever it had started.
     *
     * @param limits resolved ({@link LimitsConfig#resolve})
     * @param identity who the peer is (first in the chain: the connection limit per peer counts by it)
     */
    static ProxyRuntime start(ProxyConfig config, LimitsConfig limits, DaemonOptions options, PolicyHolder policies,
            ServerSslContexts serverContexts, UpstreamTls upstreamTls, Reporting reporting, IdentityStage identity)
            throws ConfigException {
        Transport transport = new Transport(options.workerThreads());
        UpstreamConnector connector = null;
        LeafMinter leaves = new LeafMinter(serverContexts, () -> reporting.limitMetrics().rejected(Limit.LEAF_MINT_QUEUE));
        try {
            connector = new UpstreamConnector(config.upstream(), upstreamTls, transport.channelType(), reporting.metrics());
            ConnectionLimitStage connections = new ConnectionLimitStage(limits.maxConnections(), limits.maxConnectionsPerPeer(),
                    reporting.limitMetrics());
            EgressStage egress = new EgressStage(config.egress(), config.upstream().resolve().keySet(),
                    AddressPolicy.LocalAddresses.system());
            StageChain stages = StageChain.standard(connections, egress, new AuditRecorder(reporting.sink()), identity);
            ProxyContext context = new ProxyContext(policies, leaves, connector, stages,
                    config.upstream().responseTimeoutMillis(), config.upstream().connectTimeoutMillis(), reporting.metrics(),
                    new ClientLimits(limits, reporting.limitMetrics()));
            ProxyServer server = ProxyServer.start(transport, config.listen(), context);
            LoopHeartbeat heartbeat = new LoopHeartbeat(transport.workers());
            return new ProxyRuntime(transport, connector, server, heartbeat, new ProxyHealth(server::listening, connections, heartbeat),
                    egress, leaves);
        } catch (ConfigException | RuntimeException e) {
            if (connector != null) {
                connector.close();
            }
            transport.close();
            leaves.close();
            throw e;
        }
    }

    ProxyServer server() {
        return server;
    }

    ProxyHealth health() {
        return health;
    }

    /** {@code GET /healthz} (whether the proxy can take clients) and {@code POST /transparent} (the agent's listeners). */
    List<AdminRoute> adminRoutes() {
        return List.of(AdminRoute.get("/healthz", new HealthEndpoint(health::problems)),
                AdminRoute.post("/transparent", new TransparentEndpoint(server.transparent())));
    }

    /** Refuses every address until told the daemon's own ports ({@link EgressStage#ownEndpoints}). */
    EgressStage egress() {
        return egress;
    }

    /**
     * Stops accepting and lets every exchange in flight finish (idle connections close at once,
     * busy ones after their exchange) for up to {@code grace}; closes what is left then, counted as
     * {@link Limit#SHUTDOWN_GRACE}. The event loops still run afterwards ({@link #close}).
     */
    void drain(Duration grace, Reporting reporting) {
        health.stopping();
        server.stopAccepting();
        LOG.info("credproxy stopping: {} client connection(s) open; exchanges in flight get up to {} ms",
                server.openConnections(), grace.toMillis());
        long deadline = System.nanoTime() + grace.toNanos();
        long nextDrain = System.nanoTime();
        while (server.openConnections() > 0 && System.nanoTime() - deadline < 0) {
            if (System.nanoTime() - nextDrain >= 0) {
                server.drain(); // again now and then: a connection accepted as the listener closed joins late
                nextDrain = System.nanoTime() + REDRAIN_NANOS;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int cut = server.closeAll();
        if (cut > 0) {
            reporting.limitMetrics().rejected(Limit.SHUTDOWN_GRACE, cut);
            LOG.warn("credproxy stopping: {} connection(s) still busy after {} ms closed", cut, grace.toMillis());
        }
    }

    /** Stops accepting and closes every connection as the event loops shut down, then the leaf-minting thread. */
    @Override
    public void close() {
        heartbeat.close();
        server.close();
        connector.close();
        transport.close();
        leaves.close();
    }
}
