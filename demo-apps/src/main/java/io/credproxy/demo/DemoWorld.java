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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One daemon and the stand-in upstreams of the four demo APIs, for the demo and for a whole test
 * class, and what a child JVM needs to reach them.
 *
 * <p>One recording HTTPS server plays api.cloudflare.com, places.googleapis.com, api.telegram.org
 * and the CRM host ({@link StandInApis}), with a certificate from a throw-away test CA; one plain
 * HTTP server plays api.cloudflare.com over {@code http://}. The daemon gets freshly generated
 * secrets (a 0600 file) and one rule per API; its {@code upstream.resolve} sends the names to the
 * stand-ins. A child JVM gets a hosts file mapping the names to 127.0.0.1 (so that a direct
 * connection <em>would</em> succeed without the agent) and a trust store holding the stand-ins'
 * test CA (so that direct TLS would succeed too). The daemon's CA is not in it: only the agent
 * makes it trusted.
 */
public final class DemoWorld implements AutoCloseable {
    static final String CLOUDFLARE = DemoApi.CLOUDFLARE.host();
    static final String PLACEHOLDER = DemoApi.PLACEHOLDER;

    public final Path dir;
    public final TestPki pki;
    public final RecordingUpstream upstream;
    public final RecordingUpstream plainUpstream;
    public final Map<String, String> secrets;
    public final StandInApis apis;
    public final Daemon daemon;
    public final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    public final Path secretsFile;
    public final Path auditLog;
    public final Path hostsFile;
    public final Path trustStore;
    public final Path daemonCaPem;

    private DemoWorld(Path dir) throws Exception {
        this.dir = dir;
        List<String> names = new ArrayList<>(Stream.of(DemoApi.values()).map(DemoApi::tokenVariable).toList());
        names.addAll(List.of(StandInApis.CRM_ACCESS_ID, StandInApis.CRM_ACCESS_SECRET));
        secrets = Canaries.values(names.toArray(String[]::new));
        apis = new StandInApis(secrets);
        pki = TestPki.create("stand-in upstreams' test CA", DemoApi.hosts());
        upstream = RecordingUpstream.https(pki, apis);
        plainUpstream = RecordingUpstream.plain(apis);
        secretsFile = Canaries.writeEnvFile(Files.createDirectories(dir.resolve("secret")).resolve("secrets.env"), secrets);
        auditLog = dir.resolve("audit.jsonl");
        Path config = Files.writeString(dir.resolve("credproxy.yaml"), config(pki.writeCaPem(dir.resolve("upstream-ca.pem"))));
        daemon = Daemon.start(new ConfigLoader().load(config),
                DaemonOptions.defaults().withAuditSink(audit::add).withWorkerThreads(2));
        daemonCaPem = Files.writeString(dir.resolve("daemon-ca.pem"), daemon.certificateAuthority().certificatePem());
        hostsFile = Files.writeString(dir.resolve("hosts"), DemoApi.hosts().stream()
                .map(h -> "127.0.0.1 " + h + "\n").collect(Collectors.joining()) + "127.0.0.1 localhost\n");
        trustStore = dir.resolve("truststore.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("upstream-test-ca", pki.caCertificate());
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            store.store(out, "changeit".toCharArray());
        }
    }

    /** The daemon's configuration: the stand-ins' CA, their addresses, one rule per API. */
    private String config(Path upstreamCa) {
        List<String> lines = new ArrayList<>(List.of(
                "listen: 127.0.0.1:0",
                "admin: 127.0.0.1:0",
                "secrets: " + secretsFile,
                "ca_dir: " + dir.resolve("ca"),
                "audit_log: " + auditLog,
                "upstream:",
                "  extra_ca: [" + upstreamCa + "]",
                "  resolve:"));
        for (String host : DemoApi.hosts()) {
            lines.add("    \"" + host + ":" + upstream.port() + "\": \"" + upstream.address() + "\"");
        }
        lines.add("    \"" + CLOUDFLARE + ":" + plainUpstream.port() + "\": \"" + plainUpstream.address() + "\"");
        lines.addAll(List.of(
                "rules:",
                "  - host: " + DemoApi.CLOUDFLARE.host(),
                "    headers: {Authorization: \"Bearer ${" + DemoApi.CLOUDFLARE.tokenVariable() + "}\"}",
                "  - host: " + DemoApi.GOOGLE_PLACES.host(),
                "    headers: {X-Goog-Api-Key: \"${" + DemoApi.GOOGLE_PLACES.tokenVariable() + "}\"}",
                "  - host: " + DemoApi.CRM.host(),
                "    headers:",
                "      Authorization: \"Bearer ${" + DemoApi.CRM.tokenVariable() + "}\"",
                "      CF-Access-Client-Id: \"${" + StandInApis.CRM_ACCESS_ID + "}\"",
                "      CF-Access-Client-Secret: \"${" + StandInApis.CRM_ACCESS_SECRET + "}\"",
                "  - host: " + DemoApi.TELEGRAM.host(),
                "    substitute: {\"" + PLACEHOLDER + "\": \"${" + DemoApi.TELEGRAM.tokenVariable() + "}\"}",
                ""));
        return String.join("\n", lines);
    }

    /** Starts the stand-ins and the daemon with fresh demo secrets, writing everything below {@code dir}. */
    public static DemoWorld start(Path dir) throws Exception {
        return new DemoWorld(dir);
    }

    /** The Cloudflare token: what most tests look for. */
    public String secret() {
        return secrets.get(DemoApi.CLOUDFLARE.tokenVariable());
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

    /** The Cloudflare URL the tests' apps call; {@code run} ties the upstream's records to one child JVM. */
    public String url(String run) {
        return url(DemoApi.CLOUDFLARE, run);
    }

    /** The HTTPS origin of {@code api}'s stand-in, tagged with {@code run} (the app adds the API's path). */
    public String url(DemoApi api, String run) {
        return "https://" + api.host() + ":" + upstream.port() + "/?run=" + run;
    }

    /** The plain-HTTP Cloudflare stand-in, tagged with {@code run}. */
    public String plainUrl(String run) {
        return "http://" + CLOUDFLARE + ":" + plainUpstream.port() + "/?run=" + run;
    }

    /** The JVM options that make a child JVM a sandboxed app of this world: test names on loopback, the upstream's CA trusted. */
    public List<String> childJvmOptions() {
        return List.of("-Djdk.net.hosts.file=" + hostsFile, "-Djavax.net.ssl.trustStore=" + trustStore,
                "-Djavax.net.ssl.trustStorePassword=changeit", "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    /** The environment of a sandboxed app calling the Cloudflare stand-in. */
    public Map<String, String> childEnvironment(String run) {
        return childEnvironmentFor(url(run));
    }

    /** The environment of a sandboxed app: the URL to call and every API's placeholder, nothing else. */
    public Map<String, String> childEnvironmentFor(String url) {
        Map<String, String> env = new LinkedHashMap<>(placeholders());
        env.put("CREDPROXY_DEMO_URL", url);
        return env;
    }

    /** Each API's token variable, holding {@code proxy-managed}: what a sandboxed app has instead of secrets. */
    public static Map<String, String> placeholders() {
        Map<String, String> env = new LinkedHashMap<>();
        for (DemoApi api : DemoApi.values()) {
            env.put(api.tokenVariable(), PLACEHOLDER);
        }
        return env;
    }

    /** What the stand-ins received from the child JVM of {@code run}. */
    public List<RecordedRequest> requestsFor(String run) {
        return Stream.concat(upstream.requests().stream(), plainUpstream.requests().stream())
                .filter(r -> r.uri().endsWith("run=" + run)).toList();
    }

    /** The daemon's audit events for app {@code app}. */
    public List<AuditEvent> auditFor(String app) {
        return audit.stream().filter(e -> app.equals(e.app())).toList();
    }

    @Override
    public void close() {
        daemon.close();
        upstream.close();
        plainUpstream.close();
    }
}
