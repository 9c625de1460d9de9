package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.credproxy.daemon.Daemon;
import io.credproxy.daemon.DaemonOptions;
import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.report.Report;
import io.credproxy.testing.Canaries;
import io.credproxy.testing.RecordedRequest;
import io.credproxy.testing.RecordingUpstream;
import io.credproxy.testing.SystemUser;
import io.credproxy.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Per-app identity end to end, with curl run as two system users created for the test
 * ({@code setpriv --reuid}): the kernel's word on who owns the client's socket decides the app, the
 * claimed name does not; rules scoped by app, method and path give the credential to the app, method
 * and path they name and refuse everything else (403) without forwarding it; a user no app runs as is
 * refused under {@code identity.unknown: deny} (407); billing's token is checked; the report and the
 * audit log name the attested apps and show what was claimed. Skipped, saying why, when not root.
 */
class IdentityIT {
    private static final String CLOUDFLARE = "api.cloudflare.com";
    private static final String GOOGLE = "places.googleapis.com";
    private static final String D1 = "/client/v4/accounts/acc1/d1/database/db1/query";

    private static Path dir;
    private static Path out;
    private static SystemUser tito;
    private static SystemUser billing;
    private static RecordingUpstream upstream;
    private static Daemon daemon;
    private static Path daemonCa;
    private static Map<String, String> secrets;
    private static String billingToken;
    private static final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private static final AtomicInteger runs = new AtomicInteger();

    @BeforeAll
    static void usersAndDaemon() throws Exception {
        String unavailable = SystemUser.unavailableReason();
        if (unavailable != null) {
            System.out.println("IdentityIT skipped: " + unavailable);
        }
        assumeTrue(unavailable == null, unavailable);
        dir = Files.createTempDirectory("identity-it");
        // The users' curl reads the daemon's CA here and writes its output below: open the way for them.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        out = Files.createDirectory(dir.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        tito = SystemUser.create("cpit-tito");
        billing = SystemUser.create("cpit-billing");

        TestPki pki = TestPki.create("identity upstream CA", List.of(CLOUDFLARE, GOOGLE));
        upstream = RecordingUpstream.https(pki);
        Path upstreamCa = pki.writeCaPem(dir.resolve("upstream-ca.pem"));
        Path secretDir = Files.createDirectory(dir.resolve("secret"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        secrets = Canaries.values("CLOUDFLARE_D1_API_TOKEN", "GOOGLE_PLACES_API_KEY");
        Canaries.writeEnvFile(secretDir.resolve("secrets.env"), secrets);
        billingToken = Canaries.value("billing_token");
        Path tokenFile = Files.writeString(secretDir.resolve("billing.token"), billingToken + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Path config = Files.writeString(dir.resolve("credproxy.yaml"), """
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                secrets: %s
                ca_dir: %s
                audit_log: %s
                upstream:
                  extra_ca: [%s]
                  resolve: {"%s:443": "%s", "%s:443": "%s"}
                apps:
                  tito: {uids: [%d]}
                  billing: {uids: [%d], token_file: %s}
                identity:
                  unknown: deny
                rules:
                  - host: %s
                    apps: [tito]
                    methods: [GET, POST]
                    paths: ["/client/v4/accounts/*/d1/**"]
                    headers: {Authorization: "Bearer ${CLOUDFLARE_D1_API_TOKEN}"}
                  - host: %s
                    apps: [billing]
                    headers: {X-Goog-Api-Key: "${GOOGLE_PLACES_API_KEY}"}
                """.formatted(secretDir.resolve("secrets.env"), dir.resolve("ca"), out.resolve("audit.jsonl"), upstreamCa,
                CLOUDFLARE, upstream.address(), GOOGLE, upstream.address(), tito.uid(), billing.uid(), tokenFile, CLOUDFLARE, GOOGLE));
        daemon = Daemon.start(new ConfigLoader().load(config), DaemonOptions.defaults().withAuditSink(events::add).withWorkerThreads(2));
        daemonCa = Files.writeString(dir.resolve("daemon-ca.pem"), daemon.certificateAuthority().certificatePem());
        Files.setPosixFilePermissions(daemonCa, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        for (SystemUser user : new SystemUser[] {tito, billing}) {
            if (user != null) {
                user.close();
            }
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @BeforeEach
    void clear() {
        upstream.clear();
        events.clear();
    }

    record Result(int exitCode, int status, String headers, String body, String stderr) {}

    /** curl through the daemon as {@code asUser}'s user; {@code proxyUser} is {@code app:token} or {@code null}. */
    private static Result curl(List<String> asUser, String proxyUser, String... args) throws IOException, InterruptedException {
        int n = runs.incrementAndGet();
        Path body = out.resolve("curl-" + n + ".body");
        Path headers = out.resolve("curl-" + n + ".headers");
        List<String> command = new ArrayList<>(asUser);
        command.addAll(List.of("curl", "-sS", "--max-time", "20", "--path-as-is", "--proxy", "http://127.0.0.1:"
                + daemon.proxyAddress().getPort(), "--cacert", daemonCa.toString(), "-o", body.toString(), "-D", headers.toString(),
                "-w", "%{http_code} %{http_connect}"));
        if (proxyUser != null) {
            command.addAll(List.of("--proxy-user", proxyUser));
        }
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        byte[] stderr = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // The final response's status, or the CONNECT's when the tunnel was refused (curl then reports 000 for the first).
        String[] codes = new String(stdout, StandardCharsets.US_ASCII).trim().split(" ");
        int status = Integer.parseInt(codes[0]) != 0 ? Integer.parseInt(codes[0]) : Integer.parseInt(codes[1]);
        return new Result(p.exitValue(), status,
                Files.exists(headers) ? Files.readString(headers, StandardCharsets.ISO_8859_1) : "",
                Files.exists(body) ? Files.readString(body, StandardCharsets.ISO_8859_1) : "", new String(stderr, StandardCharsets.UTF_8));
    }

    private static List<String> asTito() {
        return tito.command(List.of());
    }

    private static List<String> asBilling() {
        return billing.command(List.of());
    }

    private static List<String> asNobody() {
        return SystemUser.as(SystemUser.NOBODY, SystemUser.NOBODY, List.of());
    }

    private static List<AuditEvent> awaitEvents(int n) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> events.size() >= n);
        return List.copyOf(events);
    }

    @Test
    void titoGetsItsCredentialForItsMethodsAndPaths() throws Exception {
        Result get = curl(asTito(), "tito:", "https://" + CLOUDFLARE + D1);
        Result post = curl(asTito(), null, "-X", "POST", "--data", "{}", "https://" + CLOUDFLARE + D1);
        Result head = curl(asTito(), "tito:", "-I", "https://" + CLOUDFLARE + D1);

        assertThat(get.status()).as(get.stderr()).isEqualTo(200);
        assertThat(post.status()).as("no claim at all: the kernel alone says tito").isEqualTo(200);
        assertThat(head.status()).as("HEAD is allowed where GET is").isEqualTo(200);
        assertThat(upstream.requests()).hasSize(3).allSatisfy(r ->
                assertThat(r.header("Authorization")).containsExactly("Bearer " + secrets.get("CLOUDFLARE_D1_API_TOKEN")));
        assertThat(awaitEvents(3)).allSatisfy(e -> {
            assertThat(e.app()).isEqualTo("tito");
            assertThat(e.uid()).isEqualTo(tito.uid());
            assertThat(e.decision()).isEqualTo(Decision.INJECTED);
        });
    }

    @Test
    void billingIsRefusedOnTitosRuleEvenClaimingTitosName() throws Exception {
        Result withItsToken = curl(asBilling(), "billing:" + billingToken, "https://" + CLOUDFLARE + D1);
        Result claimingTito = curl(asBilling(), "tito:", "https://" + CLOUDFLARE + D1);

        assertThat(withItsToken.status()).isEqualTo(403);
        assertThat(withItsToken.body()).contains("app billing may not use the credentials for api.cloudflare.com");
        assertThat(claimingTito.status()).as("billing's user claiming tito is billing, who owes its token").isEqualTo(407);
        assertThat(claimingTito.headers()).containsIgnoringCase("Proxy-Authenticate: Basic realm=\"credproxy\"");
        assertThat(upstream.requests()).as("nothing was forwarded, with or without the credential").isEmpty();
        assertThat(awaitEvents(2)).anySatisfy(e -> {
            assertThat(e.app()).isEqualTo("billing");
            assertThat(e.claimedApp()).isEqualTo("tito");
            assertThat(e.status()).isEqualTo(407);
        }).anySatisfy(e -> {
            assertThat(e.app()).isEqualTo("billing");
            assertThat(e.decision()).isEqualTo(Decision.DENIED);
            assertThat(e.refusedSecretNames()).containsExactly("CLOUDFLARE_D1_API_TOKEN");
        });
    }

    @Test
    void billingNeedsItsTokenAndTitoClaimingBillingIsStillTito() throws Exception {
        Result good = curl(asBilling(), "billing:" + billingToken, "https://" + GOOGLE + "/v1/places:searchText");
        Result wrong = curl(asBilling(), "billing:" + billingToken + "x", "https://" + GOOGLE + "/v1/places:searchText");
        Result none = curl(asBilling(), null, "https://" + GOOGLE + "/v1/places:searchText");
        Result titoAsBilling = curl(asTito(), "billing:" + billingToken, "https://" + GOOGLE + "/v1/places:searchText");

        assertThat(good.status()).as(good.stderr()).isEqualTo(200);
        assertThat(wrong.status()).isEqualTo(407);
        assertThat(none.status()).isEqualTo(407);
        assertThat(titoAsBilling.status()).as("even with billing's token, tito's user is tito").isEqualTo(403);
        assertThat(upstream.requests()).singleElement().satisfies(r ->
                assertThat(r.header("X-Goog-Api-Key")).containsExactly(secrets.get("GOOGLE_PLACES_API_KEY")));
    }

    @Test
    void aUserNoAppRunsAsIsRefusedWith407() throws Exception {
        Result r = curl(asNobody(), "tito:", "https://" + CLOUDFLARE + D1);
        Result plain = curl(asNobody(), "tito:", "http://" + CLOUDFLARE + "/");

        assertThat(r.status()).as("curl reports the CONNECT's 407").isEqualTo(407);
        assertThat(r.headers()).containsIgnoringCase("Proxy-Authenticate: Basic realm=\"credproxy\"");
        assertThat(plain.status()).isEqualTo(407);
        assertThat(plain.body()).contains("uid 65534 is no configured app's user (identity.unknown: deny)");
        assertThat(upstream.requests()).isEmpty();
        assertThat(awaitEvents(2)).allSatisfy(e -> {
            assertThat(e.app()).isEqualTo("unknown");
            assertThat(e.claimedApp()).isEqualTo("tito");
            assertThat(e.uid()).isEqualTo(SystemUser.NOBODY);
        });
    }

    @Test
    void methodsOutsideTheScopeAreRefused() throws Exception {
        for (String method : List.of("DELETE", "PUT", "get", "FOO", "OPTIONS")) {
            Result r = curl(asTito(), "tito:", "-X", method, "https://" + CLOUDFLARE + D1);
            assertThat(r.status()).as(method).isEqualTo(403);
            assertThat(r.body()).contains("method " + method + " is not allowed");
        }
        assertThat(upstream.requests()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "/client/v4/accounts/acc1/workers/scripts",
            "/client/v4/accounts/acc1/d1/../workers/scripts",
            "/client/v4/accounts/acc1/d1/../../acc1/workers",
            "/client/v4/accounts/acc1/d1/%2e%2e/%2e%2e/acc1/workers",
            "/client/v4/accounts/acc1/d1/%2E%2e/%2e%2E/user",
            "/client/v4/accounts/acc1/d1/..%2f..%2fuser",
            "/client/v4/accounts/acc1/d1/%2e%2e%2f%2e%2e%2fuser",
            "/client/v4/accounts/acc1/d1/%252e%252e/%252e%252e/user",
            "/client/v4/accounts/acc1/d1/..;/..;/user",
            "/client/v4/accounts/acc1/d1;x=1/query",
            "/client/v4/accounts/acc1/d1/%00/query",
            "/client/v4/accounts/acc1/d1/%c0%ae%c0%ae/%c0%ae%c0%ae/user",
            "/client/v4/accounts/acc1/d1/.../query",
            "/client/v4/accounts/acc1/d1/..",
            "/client/v4/accounts//d1/query",
            "/client/v4/accounts/acc1/d1/..%5c..%5cuser",
            "/client/v4/accounts/acc1/d1/%2e%2e",
    })
    void pathsOutsideTheScopeAreRefusedHoweverTheyAreSpelled(String path) throws Exception {
        Result r = curl(asTito(), "tito:", "https://" + CLOUDFLARE + path);

        assertThat(r.status()).as(r.body() + r.stderr()).isEqualTo(403);
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void anAbsoluteFormUriInsideTheTunnelIsNormalisedLikeAnyPath() throws Exception {
        Result out = curl(asTito(), "tito:", "--request-target", "https://" + CLOUDFLARE + "/client/v4/accounts/acc1/d1/../../../user",
                "https://" + CLOUDFLARE + "/");
        Result in = curl(asTito(), "tito:", "--request-target", "https://" + CLOUDFLARE + "/client/v4/accounts/acc1/d1/x/%2e%2e/query",
                "https://" + CLOUDFLARE + "/");

        assertThat(out.status()).isEqualTo(403);
        assertThat(in.status()).as(in.body()).isEqualTo(200);
        assertThat(upstream.requests()).singleElement().extracting(RecordedRequest::uri)
                .as("the upstream gets the path the rule matched").isEqualTo("/client/v4/accounts/acc1/d1/query");
    }

    @Test
    void agentEventsCountForThePostersAttestedApp() throws Exception {
        String admin = "http://127.0.0.1:" + daemon.adminAddress().getPort() + "/events";
        String batch = "[{\"kind\":\"instrumented\",\"app\":\"billing\",\"client\":\"okhttp-identity-it\"}]";
        Result posted = curl(asTito(), null, "--noproxy", "*", "-H", "Content-Type: application/json", "--data", batch, admin);
        Result stranger = curl(asNobody(), null, "--noproxy", "*", "--data", batch, admin);

        assertThat(posted.status()).as(posted.body()).isEqualTo(202);
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.body()).contains("events refused: uid 65534 is no configured app's user");
        AppReport titoReport = await().atMost(Duration.ofSeconds(5)).until(() -> app(daemon.reporting().aggregator().snapshot(), "tito"),
                a -> a != null && a.instrumentedClients().contains("okhttp-identity-it"));
        assertThat(titoReport.claimedApps()).containsKey("billing");
        assertThat(titoReport.uids()).contains(tito.uid());
        AppReport billingReport = app(daemon.reporting().aggregator().snapshot(), "billing");
        assertThat(billingReport == null || !billingReport.instrumentedClients().contains("okhttp-identity-it")).isTrue();
    }

    @Test
    void theReportNamesAttestedAppsWhatTheyClaimedUsedAndWereRefusedAndNoSecret() throws Exception {
        curl(asTito(), "tito:", "https://" + CLOUDFLARE + D1);
        curl(asTito(), "billing:", "https://" + GOOGLE + "/v1/places:searchText");
        curl(asBilling(), "billing:" + billingToken, "https://" + CLOUDFLARE + D1);
        awaitEvents(3);

        Report report = daemon.reporting().aggregator().snapshot();
        AppReport t = app(report, "tito");
        assertThat(t.uids()).containsExactly(tito.uid());
        assertThat(t.claimedApps()).containsKey("billing");
        assertThat(t.secretNamesUsed()).contains("CLOUDFLARE_D1_API_TOKEN");
        assertThat(t.secretNamesRefused()).contains("GOOGLE_PLACES_API_KEY");
        AppReport b = app(report, "billing");
        assertThat(b.uids()).containsExactly(billing.uid());
        assertThat(b.secretNamesRefused()).contains("CLOUDFLARE_D1_API_TOKEN");

        ChildDaemon.Run run = ChildDaemon.run(List.of("report", "--admin", "127.0.0.1:" + daemon.adminAddress().getPort(),
                "--format", "table"));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String table = run.stdout();
        assertThat(table).contains("== tito ==", "identity: uid " + tito.uid() + " (kernel); claimed billing (",
                "credentials: used CLOUDFLARE_D1_API_TOKEN; refused GOOGLE_PLACES_API_KEY");
        Map<String, String> watched = new java.util.HashMap<>(secrets);
        watched.put("BILLING_TOKEN", billingToken);
        assertThat(Canaries.findLeaks(watched, List.of(out), Map.of("report", table))).isEmpty();
    }

    private static AppReport app(Report report, String name) {
        return report.apps().stream().filter(a -> a.app().equals(name)).findFirst().orElse(null);
    }
}
