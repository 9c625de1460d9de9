package io.credproxy.demo;

import io.credproxy.daemon.Daemon;
import io.credproxy.daemon.DaemonOptions;
import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.testing.Canaries;
import io.credproxy.testing.RecordedRequest;
import io.credproxy.testing.RecordingUpstream;
import io.credproxy.testing.TestPki;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One daemon and one recording HTTPS upstream (standing in for api.cloudflare.com), for the demo and
 * for a whole test class, and what a child JVM needs to
 * reach them: a hosts file mapping the test names to 127.0.0.1 (so that a direct connection
 * <em>would</em> succeed without the agent) and a trust store holding the upstream's test CA (so that
 * direct TLS would succeed too). The daemon's CA is not in it: only the agent makes it trusted.
 */
public final class DemoWorld implements AutoCloseable {
    static final String CLOUDFLARE = "api.cloudflare.com";
    static final String TOKEN_NAME = "CLOUDFLARE_D1_API_TOKEN";
    static final String PLACEHOLDER = "proxy-managed";

    public final Path dir;
    public final TestPki pki;
    public final RecordingUpstream upstream;
    public final Map<String, String> secrets;
    public final Daemon daemon;
    public final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    public final Path hostsFile;
    public final Path trustStore;
    public final Path daemonCaPem;

    private DemoWorld(Path dir) throws Exception {
        this.dir = dir;
        pki = TestPki.create("upstream test CA", List.of(CLOUDFLARE));
        upstream = RecordingUpstream.https(pki);
        secrets = Canaries.values(TOKEN_NAME);
        Path secretsFile = Canaries.writeEnvFile(Files.createDirectories(dir.resolve("secret")).resolve("secrets.env"), secrets);
        Path upstreamCa = pki.writeCaPem(dir.resolve("upstream-ca.pem"));
        Path config = Files.writeString(dir.resolve("credproxy.yaml"), String.join("\n",
                "listen: 127.0.0.1:0",
                "admin: 127.0.0.1:0",
                "secrets: " + secretsFile,
                "ca_dir: " + dir.resolve("ca"),
                "audit_log: " + dir.resolve("audit.jsonl"),
                "upstream:",
                "  extra_ca: [" + upstreamCa + "]",
                "  resolve:",
                "    \"" + CLOUDFLARE + ":" + upstream.port() + "\": \"" + upstream.address() + "\"",
                "rules:",
                "  - host: " + CLOUDFLARE,
                "    headers: {Authorization: \"Bearer ${" + TOKEN_NAME + "}\"}",
                ""));
        daemon = Daemon.start(new ConfigLoader().load(config),
                DaemonOptions.defaults().withAuditSink(audit::add).withWorkerThreads(2));
        daemonCaPem = Files.writeString(dir.resolve("daemon-ca.pem"), daemon.certificateAuthority().certificatePem());
        hostsFile = Files.writeString(dir.resolve("hosts"), "127.0.0.1 " + CLOUDFLARE + "\n127.0.0.1 localhost\n");
        trustStore = dir.resolve("truststore.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("upstream-test-ca", pki.caCertificate());
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            store.store(out, "changeit".toCharArray());
        }
    }

    /** Starts the upstream and the daemon with fresh canary secrets, writing everything below {@code dir}. */
    public static DemoWorld start(Path dir) throws Exception {
        return new DemoWorld(dir);
    }

    public String secret() {
        return secrets.get(TOKEN_NAME);
    }

    public InetSocketAddress proxy() {
        return daemon.proxyAddress();
    }

    public InetSocketAddress admin() {
        return daemon.adminAddress();
    }

    /** The agent options pointing at this world's daemon, for app {@code app}. */
    public String agentOptions(String app) {
        return "proxy=127.0.0.1:" + proxy().getPort() + ",admin=127.0.0.1:" + admin().getPort() + ",app=" + app;
    }

    /** The URL the demo apps call; {@code run} ties the upstream's records to one child JVM. */
    public String url(String run) {
        return "https://" + CLOUDFLARE + ":" + upstream.port() + "/client/v4/user/tokens/verify?run=" + run;
    }

    /** The JVM options that make a child JVM a sandboxed app of this world: test names on loopback, the upstream's CA trusted. */
    public List<String> childJvmOptions() {
        return List.of("-Djdk.net.hosts.file=" + hostsFile, "-Djavax.net.ssl.trustStore=" + trustStore,
                "-Djavax.net.ssl.trustStorePassword=changeit", "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    /** The environment of a sandboxed app: the URL to call and the placeholder token, nothing else. */
    public Map<String, String> childEnvironment(String run) {
        return Map.of("CREDPROXY_DEMO_URL", url(run), "CLOUDFLARE_API_TOKEN", PLACEHOLDER);
    }

    /** What the upstream received from the child JVM of {@code run}. */
    public List<RecordedRequest> requestsFor(String run) {
        return upstream.requests().stream().filter(r -> r.uri().endsWith("run=" + run)).toList();
    }

    /** The daemon's audit events for app {@code app}. */
    public List<AuditEvent> auditFor(String app) {
        return audit.stream().filter(e -> app.equals(e.app())).toList();
    }

    @Override
    public void close() {
        daemon.close();
        upstream.close();
    }
}
