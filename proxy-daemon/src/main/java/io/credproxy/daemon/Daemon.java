package io.credproxy.daemon;

import io.credproxy.daemon.admin.AdminRoute;
import io.credproxy.daemon.admin.AdminRouter;
import io.credproxy.daemon.admin.AdminServer;
import io.credproxy.daemon.admin.CaCertificateEndpoint;
import io.credproxy.daemon.admin.HealthEndpoint;
import io.credproxy.daemon.admin.TransparentEndpoint;
import io.credproxy.daemon.audit.AuditLogLocation;
import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.AuditRecorder;
import io.credproxy.daemon.pipeline.StageChain;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.policy.PolicyHolder;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.daemon.server.ProxyContext;
import io.credproxy.daemon.server.ProxyServer;
import io.credproxy.daemon.server.Transport;
import io.credproxy.daemon.server.UpstreamConnector;
import io.credproxy.daemon.tls.CertificateAuthority;
import io.credproxy.daemon.tls.LeafCertificateFactory;
import io.credproxy.daemon.tls.ServerSslContexts;
import io.credproxy.daemon.tls.TlsEngines;
import io.credproxy.daemon.tls.UpstreamTrust;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running credproxy daemon: the proxy port, the admin port and the reporting (audit log,
 * {@code /report}, {@code /metrics}, {@code /events}), started from a configuration.
 *
 * <p>This is the one entry point the CLI and other modules' tests use:
 * <pre>{@code
 * try (Daemon daemon = Daemon.start(config, DaemonOptions.defaults().withAuditSink(sink))) {
 *     InetSocketAddress proxy = daemon.proxyAddress();   // port 0 in the config = ephemeral
 *     ...
 * }   // close() stops the proxy, then flushes the audit log
 * }</pre>
 * {@link #start} does everything that can refuse before binding (secrets file safety, missing
 * secrets, CA, extra CAs, opening the audit log), then binds; any refusal is a
 * {@link ConfigException} with a one-line message and nothing is left running. The optional
 * {@link DaemonOptions#auditSink()} gets every event besides the daemon's own reporting.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final ProxyConfig config;
    private final PolicyHolder policyHolder;
    private final CertificateAuthority ca;
    private final AdminRouter adminRouter;
    private final Transport transport;
    private final UpstreamConnector connector;
    private final ProxyServer proxy;
    private final AdminServer admin;
    private final Reporting reporting;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Daemon(ProxyConfig config, PolicyHolder policyHolder, CertificateAuthority ca,
            AdminRouter adminRouter, Transport transport, UpstreamConnector connector, ProxyServer proxy,
            AdminServer admin, Reporting reporting) {
        this.config = config;
        this.policyHolder = policyHolder;
        this.ca = ca;
        this.adminRouter = adminRouter;
        this.transport = transport;
        this.connector = connector;
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
     * @throws ConfigException for any start-up refusal: unsafe or unreadable secrets file, a rule
     *     naming a missing secret, an unusable CA or extra CA, an audit log that cannot be opened,
     *     a port in use
     */
    public static Daemon start(ProxyConfig config, DaemonOptions options) throws ConfigException {
        Secrets secrets = options.secretStore().load(config.secrets());
        Policy policy = Policy.resolve(config.rules(), secrets);
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(Path.of(config.caDir()));
        SslContext upstreamTls = UpstreamTrust.clientContext(config.upstream().extraCa());
        ServerSslContexts serverContexts = new ServerSslContexts(new LeafCertificateFactory(ca), options.maxCachedHosts());
        PolicyHolder policyHolder = new PolicyHolder(policy);
        // Free text in events is redacted with the secrets in force, reloads included.
        Reporting reporting = startReporting(config, text -> policyHolder.current().redactor().redact(text), options);
        reporting.metrics().bindCertificateCacheSize(serverContexts::size);
        reporting.metrics().bindCertificatesMinted(serverContexts::minted);

        AdminRouter router = new AdminRouter()
                .register("GET", "/ca.pem", new CaCertificateEndpoint(ca.certificatePem()))
                .register("GET", "/healthz", new HealthEndpoint())
                .registerAll(reporting.routes())
                .registerAll(options.adminEndpoints());

        Transport transport = null;
        UpstreamConnector connector = null;
        ProxyServer proxy = null;
        try {
            transport = new Transport(options.workerThreads());
            connector = new UpstreamConnector(config.upstream(), upstreamTls, transport.channelType(), reporting.metrics());
            AuditRecorder audit = new AuditRecorder(reporting.sink());
            ProxyContext context = new ProxyContext(policyHolder, serverContexts, connector, StageChain.standard(audit),
                    config.upstream().responseTimeoutMillis(), config.upstream().connectTimeoutMillis(), reporting.metrics());
            proxy = ProxyServer.start(transport, config.listen(), context);
            router.register(AdminRoute.post("/transparent", new TransparentEndpoint(proxy.transparent())));
            AdminServer admin = AdminServer.start(transport, config.admin(), router);
            Daemon daemon = new Daemon(config, policyHolder, ca, router, transport, connector, proxy,
                    admin, reporting);
            daemon.logStarted();
            return daemon;
        } catch (ConfigException | RuntimeException e) {
            if (proxy != null) {
                proxy.close();
            }
            if (connector != null) {
                connector.close();
            }
            if (transport != null) {
                transport.close();
            }
            reporting.close();
            throw e;
        }
    }

    /** Opens the audit log and assembles the report and metrics; a log that cannot be opened refuses the start. */
    private static Reporting startReporting(ProxyConfig config, UnaryOperator<String> redactor,
            DaemonOptions options) throws ConfigException {
        Path file = AuditLogLocation.resolve(config);
        try {
            return Reporting.start(file, redactor, List.of(options.auditSink()));
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
        LOG.info("credproxy started: proxy on {}, admin on {}, {} rule(s) {}, CA {}, audit log {}, TLS engine {}",
                describe(proxyAddress()), describe(adminAddress()), rules.size(), rules,
                Path.of(config.caDir(), CertificateAuthority.CERT_FILE), reporting.auditLog().file(), TlsEngines.describe());
    }

    private static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    /** Where the proxy listens (the real port when the config said 0). */
    public InetSocketAddress proxyAddress() {
        return proxy.address();
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

    public ProxyConfig config() {
        return config;
    }

    /** The audit log, the live report and the metrics. */
    public Reporting reporting() {
        return reporting;
    }

    /**
     * Stops accepting, closes every connection, releases the threads, then writes every queued
     * audit event and closes the audit log. Closing again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        proxy.close();
        admin.close();
        connector.close();
        // Connections still record their events as the event loops close them: the audit log
        // closes only once the loops have terminated, so none of those events is lost.
        transport.close();
        reporting.close();
        LOG.info("credproxy stopped");
    }
}
