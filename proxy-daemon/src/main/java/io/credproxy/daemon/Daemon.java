package io.credproxy.daemon;

import io.credproxy.daemon.admin.AdminLimits;
import io.credproxy.daemon.admin.AdminRouter;
import io.credproxy.daemon.admin.AdminServer;
import io.credproxy.daemon.admin.CaCertificateEndpoint;
import io.credproxy.daemon.admin.KernelEventAttribution;
import io.credproxy.daemon.audit.AuditLogLocation;
import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.config.LimitsConfig;
import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.egress.AddressPolicy;
import io.credproxy.daemon.identity.PeerUidResolver;
import io.credproxy.daemon.limits.FileDescriptors;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.IdentityStage;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.policy.PolicyHolder;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.server.Transport;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.daemon.tls.CertificateAuthority;
import io.credproxy.daemon.tls.ServerSslContexts;
import io.credproxy.daemon.tls.TlsEngines;
import io.credproxy.daemon.tls.UpstreamTls;
import io.credproxy.daemon.tls.UpstreamTrust;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running credproxy daemon: the proxy port, the admin port and the reporting (audit log,
 * {@code /report}, {@code /metrics}, {@code /events}, {@code /readyz}), started from a configuration.
 *
 * <p>This is the one entry point the CLI and other modules' tests use:
 * <pre>{@code
 * try (Daemon daemon = Daemon.start(config, DaemonOptions.defaults().withAuditSink(sink))) {
 *     InetSocketAddress proxy = daemon.proxyAddress();   // port 0 in the config = ephemeral
 *     ...
 * }   // close() stops the proxy, then flushes the audit log
 * }</pre>
 * {@link #start} does everything that can refuse before binding (secrets file safety, missing secrets, CA, extra CAs,
 * opening the audit log), then binds; any refusal is a {@link ConfigException} with a one-line message and nothing is
 * left running. The optional {@link DaemonOptions#auditSink()} gets every event besides the daemon's own reporting.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final ProxyConfig config;
    private final PolicyHolder policyHolder;
    private final CertificateAuthority ca;
    private final AdminRouter adminRouter;
    private final ProxyRuntime proxy;
    private final AdminServer admin;
    private final Reporting reporting;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Daemon(ProxyConfig config, PolicyHolder policyHolder, CertificateAuthority ca, AdminRouter adminRouter,
            ProxyRuntime proxy, AdminServer admin, Reporting reporting) {
        this.config = config;
        this.policyHolder = policyHolder;
        this.ca = ca;
        this.adminRouter = adminRouter;
        this.proxy = proxy;
        this.admin = admin;
        this.reporting = reporting;
    }

    /** Starts with {@link DaemonOptions#defaults()}. */
    public static Daemon start(ProxyConfig config) throws ConfigException {
        return start(config, DaemonOptions.defaults());
    }

    /**
     * Loads the secrets and the CA, builds the policy, and binds the proxy and admin ports.
     *
     * @throws ConfigException for any start-up refusal: unsafe or unreadable secrets file, a rule naming a missing
     *     secret, an unusable CA or extra CA, an audit log that cannot be opened, a port in use
     */
    public static Daemon start(ProxyConfig config, DaemonOptions options) throws ConfigException {
        Secrets secrets = options.secretStore().load(config.secrets());
        Policy policy = Policy.load(config, secrets);
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(Path.of(config.caDir()));
        UpstreamTls upstreamTls = UpstreamTrust.clientContexts(config.upstream().extraCa());
        ServerSslContexts serverContexts = new ServerSslContexts(options.leafIssuer().apply(ca), options.maxCachedHosts());
        PolicyHolder policyHolder = new PolicyHolder(policy);
        LimitsConfig limits = config.limits().resolve(FileDescriptors.limit(), Runtime.getRuntime().maxMemory());
        PeerUidResolver peerUids = new PeerUidResolver(PeerUidResolver.PROC_NET);
        // Free text in events is redacted with the secrets in force, reloads included.
        Reporting reporting = startReporting(config, text -> policyHolder.current().redactor().redact(text), options, limits,
                new KernelEventAttribution(policyHolder::current, peerUids));
        reporting.metrics().bindCertificateCacheSize(serverContexts::size);
        reporting.metrics().bindCertificatesMinted(serverContexts::minted);
        AdminRouter router = new AdminRouter()
                .register("GET", "/ca.pem", new CaCertificateEndpoint(ca.certificatePem()))
                .registerAll(reporting.routes())
                .registerAll(options.adminEndpoints());

        ProxyRuntime proxy = null;
        try {
            proxy = ProxyRuntime.start(config, limits, options, policyHolder, serverContexts, upstreamTls, reporting,
                    new IdentityStage(policyHolder::current, peerUids));
            router.registerAll(proxy.adminRoutes()).register(OperatorSignals.install(reporting.metrics(), policyHolder, ca,
                    proxy.server()));
            AdminServer admin = AdminServer.start(config.admin(), router, AdminLimits.from(limits), reporting.limitMetrics());
            // Until now the egress stage refused every address: only the bound ports are known for sure.
            proxy.egress().ownEndpoints(List.of(new AddressPolicy.Endpoint("proxy", proxy.server().address()),
                    new AddressPolicy.Endpoint("admin", admin.address())));
            Daemon daemon = new Daemon(config.withLimits(limits), policyHolder, ca, router, proxy, admin, reporting);
            daemon.logStarted();
            return daemon;
        } catch (ConfigException | RuntimeException e) {
            if (proxy != null) {
                proxy.close();
            }
            reporting.close();
            throw e;
        }
    }

    /** Opens the audit log and assembles the report and metrics; a log that cannot be opened refuses the start. */
    private static Reporting startReporting(ProxyConfig config, UnaryOperator<String> redactor,
            DaemonOptions options, LimitsConfig limits, KernelEventAttribution attribution) throws ConfigException {
        Path file = AuditLogLocation.resolve(config);
        try {
            return Reporting.start(file, redactor, List.of(options.auditSink()), limits, attribution);
        } catch (IOException e) {
            throw new ConfigException("cannot open the audit log " + file + ": " + why(e));
        }
    }

    /** A short reason for an I/O failure; the message of a file-system exception is mostly its path again. */
    private static String why(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " is not a directory"; // createDirectories met a file on the way
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(Locale.ROOT);
        }
        return e.getClass().getSimpleName();
    }

    private void logStarted() {
        List<String> rules = new ArrayList<>();
        for (Rule rule : config.rules()) {
            rules.add(rule.destination() + " " + rule.secretNames());
        }
        LimitsConfig l = config.limits();
        LOG.info("credproxy started: proxy on {}, admin on {}, {} rule(s) {}, CA {}, audit log {}, TLS engine {}, transport {}, limits:"
                + " {} connections ({} per peer), {} bytes of partial heads, header/idle/tunnel timeouts {}/{}/{} ms",
                describe(proxyAddress()), describe(adminAddress()), rules.size(), rules,
                Path.of(config.caDir(), CertificateAuthority.CERT_FILE), reporting.auditLog().file(), TlsEngines.describe(),
                Transport.describe(),
                l.maxConnections(), l.maxConnectionsPerPeer(), l.maxBufferedHeadBytes(), l.headerTimeoutMillis(),
                l.idleTimeoutMillis(), l.tunnelIdleTimeoutMillis());
    }

    private static String describe(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    /** Where the proxy listens (the real port when the config said 0). */
    public InetSocketAddress proxyAddress() {
        return proxy.server().address();
    }

    /** Where the admin endpoint listens (the real port when the config said 0). */
    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    /** The policy in force; {@link PolicyHolder#swap} replaces it for new requests and tunnels. */
    public PolicyHolder policyHolder() {
        return policyHolder;
    }

    /** The admin routes; endpoints registered here are served at once. */
    public AdminRouter adminRouter() {
        return adminRouter;
    }

    public CertificateAuthority certificateAuthority() {
        return ca;
    }

    /** Live connection counts and failure counts. */
    public ProxyMetrics metrics() {
        return reporting.metrics();
    }

    /** The configuration in force, its limits resolved (no size left at 0). */
    public ProxyConfig config() {
        return config;
    }

    /** The audit log, the live report and the metrics. */
    public Reporting reporting() {
        return reporting;
    }

    /**
     * Stops gracefully, as on SIGTERM: stops accepting, lets every exchange in flight finish for up
     * to {@code grace} ({@code /healthz} says "shutting down" meanwhile), closes what is left, then
     * as {@link #close()}. Once stopped (or closed), does nothing.
     */
    public void stop(Duration grace) {
        if (closed.compareAndSet(false, true)) {
            proxy.drain(grace, reporting);
            shutdown();
        }
    }

    /** Stops accepting, closes every connection and the threads, then writes the queued audit events; once only. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            shutdown();
        }
    }

    private void shutdown() {
        admin.close();
        // Connections still record their events as the event loops close them: the audit log
        // closes only once the loops have terminated, so none of those events is lost.
        proxy.close();
        reporting.close();
        LOG.info("credproxy stopped");
    }
}
