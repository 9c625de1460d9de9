package io.credproxy.daemon.it;

import static org.awaitility.Awaitility.await;

import io.credproxy.daemon.Daemon;
import io.credproxy.daemon.DaemonOptions;
import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.testing.Canaries;
import io.credproxy.testing.RecordingUpstream;
import io.credproxy.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * A daemon on ephemeral loopback ports in front of recording upstreams, with canary secrets.
 *
 * <p>Every test host name is mapped with {@code upstream.resolve}; nothing resolves through DNS
 * (the ITs run with {@code jdk.net.hosts.file} holding only localhost). Hosts:
 * <ul>
 *   <li>{@value #CLOUDFLARE}, {@value #GOOGLE}: header rules; {@value #TELEGRAM}: a placeholder rule (path
 *       and the {@code X-Bot-Token} header);
 *   <li>{@value #EVIL}, {@value #PASSTHROUGH}: no rule, served by the same HTTPS upstream (its
 *       certificate covers them);
 *   <li>{@value #PLAIN} (rule, plaintext refused), {@value #PLAIN_ALLOWED} (rule with
 *       {@code allow_plaintext}), {@value #NO_RULE_PLAIN}: the plain-HTTP upstream on port 80;
 *   <li>{@value #UNTRUSTED}: a rule, served by an upstream whose CA the daemon does not trust;
 *   <li>{@value #WRONG_NAME}: a rule, served by the main upstream whose certificate lacks the name;
 *   <li>{@value #DOWN}, {@value #TUNNEL_DOWN}: a rule / no rule, mapped to a closed port;
 *   <li>{@value #SLOW}: a rule, served by the main upstream (no name of its certificate): for tests
 *       whose leaf issuer mints slowly or fails for it.
 * </ul>
 */
final class DaemonFixture implements AutoCloseable {
    static final String CLOUDFLARE = "api.cloudflare.com";
    static final String GOOGLE = "places.googleapis.com";
    static final String TELEGRAM = "api.telegram.org";
    static final String EVIL = "evil.example";
    static final String PASSTHROUGH = "passthrough.test";
    static final String PLAIN = "plain.test";
    static final String PLAIN_ALLOWED = "plain-allowed.test";
    static final String NO_RULE_PLAIN = "no-rule.test";
    static final String UNTRUSTED = "untrusted.test";
    static final String WRONG_NAME = "wrong-name.test";
    static final String DOWN = "down.test";
    static final String TUNNEL_DOWN = "tunnel-down.test";
    static final String SLOW = "slow.test";
    /** A rule with {@code allow_plaintext}, its upstream a test's own (mapped with {@code extraResolve}). */
    static final String RAW = "raw.test";
    static final int RESPONSE_TIMEOUT_MS = 3000;

    final Path dir;
    /** Everything the daemon or the clients wrote (curl output, child logs): what canary searches read. */
    final Path outDir;
    final TestPki pki;
    final TestPki otherPki;
    final RecordingUpstream https;
    final RecordingUpstream plain;
    final RecordingUpstream untrusted;
    final Map<String, String> secrets;
    final Path configFile;
    final Path secretsFile;
    final Path upstreamCaPem;
    /** The daemon's audit log ({@code audit_log:}), among what canary searches read. */
    final Path auditLog;
    /** What the daemon recorded, through {@code DaemonOptions.withAuditSink} (in-process daemon only). */
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    /**
     * The app name the current test's clients send (curl's {@code --proxy-user}, the raw client's
     * CONNECT), which separates its events from a late event of an earlier test; {@code null}:
     * every event is kept (fixtures that run one scenario).
     */
    private volatile String testApp;
    private final AtomicInteger tests = new AtomicInteger();
    /** The in-process daemon, reports and metrics included; {@code null} when the daemon runs as a child process. */
    final Daemon daemon;
    private ChildDaemon child;
    private Path daemonCaPem;

    private DaemonFixture(Path dir, boolean inProcess) throws Exception {
        this(dir, inProcess, "", Map.of(), UnaryOperator.identity());
    }

    /**
     * @param extraConfig YAML appended to the generated configuration (a {@code limits:} section)
     * @param extraResolve more {@code upstream.resolve} entries ({@code "raw.test:443"} to a test's own upstream)
     */
    private DaemonFixture(Path dir, boolean inProcess, String extraConfig, Map<String, String> extraResolve,
            UnaryOperator<DaemonOptions> options) throws Exception {
        this.dir = dir;
        this.outDir = Files.createDirectories(dir.resolve("out"));
        pki = TestPki.create("upstream test CA", List.of(CLOUDFLARE, GOOGLE, TELEGRAM, EVIL, PASSTHROUGH, UNTRUSTED, RAW));
        otherPki = TestPki.create("unknown CA", List.of(UNTRUSTED));
        https = RecordingUpstream.https(pki);
        plain = RecordingUpstream.plain();
        untrusted = RecordingUpstream.https(otherPki);
        upstreamCaPem = pki.writeCaPem(dir.resolve("upstream-ca.pem"));
        auditLog = outDir.resolve("audit.jsonl");
        secrets = Canaries.values("CLOUDFLARE_D1_API_TOKEN", "GOOGLE_PLACES_API_KEY", "TELEGRAM_BOT_TOKEN", "PLAIN_TOKEN");
        // Telegram tokens look like 123456:ABC-def; keep the colon so the URI encoding is exercised.
        secrets.put("TELEGRAM_BOT_TOKEN", "123456:" + secrets.get("TELEGRAM_BOT_TOKEN"));
        // The secrets live apart from everything a canary search reads.
        secretsFile = Canaries.writeEnvFile(Files.createDirectories(dir.resolve("secret")).resolve("secrets.env"), secrets);
        configFile = Files.writeString(dir.resolve("credproxy.yaml"), config(closedPort(), extraResolve) + extraConfig);
        if (inProcess) {
            daemon = Daemon.start(new ConfigLoader().load(configFile),
                    options.apply(DaemonOptions.defaults().withAuditSink(this::record).withWorkerThreads(2)));
            daemonCaPem = Files.writeString(dir.resolve("daemon-ca.pem"), daemon.certificateAuthority().certificatePem());
        } else {
            daemon = null;
        }
    }

    /** Upstreams, secrets, config and an in-process daemon. */
    static DaemonFixture start(Path dir) throws Exception {
        return new DaemonFixture(dir, true);
    }

    /** Upstreams, secrets, config with {@code extraConfig} appended (e.g. an {@code egress:} section) and an in-process daemon. */
    static DaemonFixture start(Path dir, String extraConfig) throws Exception {
        return new DaemonFixture(dir, true, extraConfig, Map.of(), UnaryOperator.identity());
    }

    /** Upstreams, secrets, config and an in-process daemon started with {@code options} applied to the fixture's own. */
    static DaemonFixture start(Path dir, UnaryOperator<DaemonOptions> options) throws Exception {
        return new DaemonFixture(dir, true, "", Map.of(), options);
    }

    /** Upstreams, secrets and config only; start the daemon with {@link #startChild}. */
    static DaemonFixture withoutDaemon(Path dir) throws Exception {
        return new DaemonFixture(dir, false, "", Map.of(), UnaryOperator.identity());
    }

    /**
     * As {@link #withoutDaemon(Path)}, with {@code extraConfig} (top-level YAML, say a {@code limits:}
     * section) appended and {@code extraResolve} ({@code "host:port": "127.0.0.1:port"}) mapped.
     */
    static DaemonFixture withoutDaemon(Path dir, String extraConfig, Map<String, String> extraResolve) throws Exception {
        return new DaemonFixture(dir, false, extraConfig, extraResolve, UnaryOperator.identity());
    }

    /** Runs the packaged daemon jar in a child JVM against this fixture's config. */
    ChildDaemon startChild(List<String> jvmOptions) throws Exception {
        child = ChildDaemon.start(configFile, outDir, jvmOptions);
        daemonCaPem = Files.writeString(dir.resolve("daemon-ca.pem"), child.fetch("/ca.pem"));
        return child;
    }

    /** Uses a daemon a test started itself (other options) against this fixture's config. */
    ChildDaemon adopt(ChildDaemon started) throws Exception {
        child = started;
        daemonCaPem = Files.writeString(dir.resolve("daemon-ca.pem"), child.fetch("/ca.pem"));
        return child;
    }

    Path daemonCaPemPath() {
        return daemonCaPem;
    }

    /** The daemon's CA certificate, as clients must trust it. */
    java.security.cert.X509Certificate daemonCa() throws Exception {
        if (daemon != null) {
            return daemon.certificateAuthority().certificate();
        }
        try (var in = Files.newInputStream(daemonCaPem)) {
            return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private String config(int closedPort, Map<String, String> extraResolve) {
        Map<String, String> resolve = new LinkedHashMap<>(extraResolve);
        for (String host : List.of(CLOUDFLARE, GOOGLE, TELEGRAM, EVIL, PASSTHROUGH, WRONG_NAME, SLOW)) {
            resolve.put(host + ":443", https.address());
        }
        resolve.put(UNTRUSTED + ":443", untrusted.address());
        for (String host : List.of(PLAIN, PLAIN_ALLOWED, NO_RULE_PLAIN)) {
            resolve.put(host + ":80", plain.address());
        }
        resolve.put(DOWN + ":443", "127.0.0.1:" + closedPort);
        resolve.put(TUNNEL_DOWN + ":443", "127.0.0.1:" + closedPort);
        StringBuilder yaml = new StringBuilder()
                .append("listen: 127.0.0.1:0\n")
                .append("admin: 127.0.0.1:0\n")
                .append("secrets: ").append(dir.resolve("secret").resolve("secrets.env")).append('\n')
                .append("ca_dir: ").append(dir.resolve("ca")).append('\n')
                .append("audit_log: ").append(auditLog).append('\n')
                .append("upstream:\n")
                .append("  extra_ca: [").append(upstreamCaPem).append("]\n")
                .append("  connect_timeout_ms: 3000\n")
                .append("  response_timeout_ms: ").append(RESPONSE_TIMEOUT_MS).append('\n')
                .append("  resolve:\n");
        resolve.forEach((k, v) -> yaml.append("    \"").append(k).append("\": \"").append(v).append("\"\n"));
        yaml.append("rules:\n")
                .append("  - host: ").append(CLOUDFLARE).append('\n')
                .append("    headers: {Authorization: \"Bearer ${CLOUDFLARE_D1_API_TOKEN}\"}\n")
                .append("  - host: ").append(GOOGLE).append('\n')
                .append("    headers: {X-Goog-Api-Key: \"${GOOGLE_PLACES_API_KEY}\"}\n")
                .append("  - host: ").append(TELEGRAM).append('\n')
                .append("    substitute: {\"proxy-managed\": \"${TELEGRAM_BOT_TOKEN}\"}\n")
                .append("    substitute_headers: [X-Bot-Token]\n")
                .append("  - host: ").append(PLAIN).append('\n')
                .append("    headers: {Authorization: \"Bearer ${PLAIN_TOKEN}\"}\n")
                .append("  - host: ").append(PLAIN_ALLOWED).append('\n')
                .append("    headers: {Authorization: \"Bearer ${PLAIN_TOKEN}\"}\n")
                .append("    allow_plaintext: true\n");
        yaml.append("  - host: ").append(RAW).append('\n')
                .append("    headers: {Authorization: \"Bearer ${PLAIN_TOKEN}\"}\n")
                .append("    allow_plaintext: true\n");
        for (String host : List.of(UNTRUSTED, WRONG_NAME, DOWN, SLOW)) {
            yaml.append("  - host: ").append(host).append('\n')
                    .append("    headers: {Authorization: \"Bearer ${CLOUDFLARE_D1_API_TOKEN}\"}\n");
        }
        return yaml.toString();
    }

    /** A loopback port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int proxyPort() {
        return daemon != null ? daemon.proxyAddress().getPort() : child.proxyPort();
    }

    int adminPort() {
        return daemon != null ? daemon.adminAddress().getPort() : child.adminPort();
    }

    /** The admin address as {@code credproxy report --admin} takes it. */
    String adminAddress() {
        return "127.0.0.1:" + adminPort();
    }

    String proxyUrl() {
        return "http://127.0.0.1:" + proxyPort();
    }

    String secret(String name) {
        return secrets.get(name);
    }

    /** A JDK HttpClient going through the daemon, trusting only the daemon's CA. */
    HttpClient jdkClient() throws Exception {
        return jdkClient(TestPki.trusting(daemonCa()));
    }

    HttpClient jdkClient(SSLContext trust) {
        return HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort())))
                .sslContext(trust)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Runs curl through the daemon as the current test's app, trusting the daemon's CA; the body goes to a file. */
    Curl.Result curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("--proxy", proxyUrl(), "--cacert", daemonCaPem.toString()));
        command.addAll(asTestApp(args));
        return Curl.run(outDir, command);
    }

    /** {@code args} with {@code --proxy-user APP:} in front unless they name a proxy user themselves. */
    private List<String> asTestApp(String... args) {
        List<String> out = new ArrayList<>();
        String app = testApp;
        if (app != null && !List.of(args).contains("--proxy-user")) {
            out.addAll(List.of("--proxy-user", app + ":"));
        }
        out.addAll(List.of(args));
        return out;
    }

    /** Runs curl through the daemon as {@code app}: the agent's {@code Proxy-Authorization: Basic base64(app:)}. */
    Curl.Result curlAs(String app, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("--proxy-user", app + ":"));
        command.addAll(List.of(args));
        return curl(command.toArray(String[]::new));
    }

    /** Runs curl through the daemon as the current test's app, trusting only {@code ca}. */
    Curl.Result curlTrusting(Path ca, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("--proxy", proxyUrl(), "--cacert", ca.toString()));
        command.addAll(asTestApp(args));
        return Curl.run(outDir, command);
    }

    /** A raw socket to the proxy port; its CONNECTs name the current test's app. */
    RawClient raw() throws IOException {
        return new RawClient(proxyPort(), testApp);
    }

    private void record(AuditEvent event) {
        // The daemon records a request once its response is done, and a tunnel once both sides
        // closed: that can be after the test that made it has ended. Such a late event carries the
        // earlier test's app name and stays out of this test's records.
        String app = testApp;
        if (app == null || event.app().equals(app) || event.app().startsWith(app + "-")) {
            events.add(event);
        }
    }

    /** Starts a fresh record for a new test with an app name of its own. */
    void startTest() {
        testApp = "it" + tests.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        events.clear();
    }

    /** The current test's app name, as its clients send it; {@code role} names a second app of the same test. */
    String app(String role) {
        return testApp + "-" + role;
    }

    /** The audit events recorded for {@code host}, waiting briefly for events recorded after the response. */
    List<AuditEvent> eventsFor(String host) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> events.stream().anyMatch(e -> e.host().equals(host)));
        return events.stream().filter(e -> e.host().equals(host)).toList();
    }

    /** Waits until the daemon has recorded {@code n} events (tunnels are recorded once both sides closed). */
    List<AuditEvent> awaitEvents(int n) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> events.size() >= n);
        return List.copyOf(events);
    }

    static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.close();
        }
        if (child != null) {
            child.close();
        }
        https.close();
        plain.close();
        untrusted.close();
    }
}
