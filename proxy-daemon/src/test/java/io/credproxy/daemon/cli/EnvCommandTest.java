package io.credproxy.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.credproxy.testing.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code credproxy env} in process, with the CA from a file ({@code --ca}) or a stand-in admin
 * port: what it prints, what a shell makes of it when the input is hostile, and every refusal.
 */
class EnvCommandTest {
    private static final TestPki PKI = TestPki.create("env test CA", List.of("a.test"));

    @TempDir
    Path dir;

    private StringWriter out;
    private StringWriter err;
    private Path ca;
    private Path agent;
    private Path roots;

    @BeforeEach
    void files() throws Exception {
        out = new StringWriter();
        err = new StringWriter();
        ca = PKI.writeCaPem(dir.resolve("ca-in.pem"));
        agent = Files.writeString(dir.resolve("credproxy-agent.jar"), "stand-in");
        roots = Files.writeString(dir.resolve("roots.pem"), TestPki.pem(TestPki.create("a system root", List.of()).caCertificate()));
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return CredproxyCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** {@code env} with the test's CA, roots and agent, plus {@code more}. */
    private int env(Path outDir, String... more) {
        List<String> args = new ArrayList<>(List.of("env", "--ca", ca.toString(), "--system-roots", roots.toString(),
                "--agent-jar", agent.toString(), "--dir", outDir.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    /** Sources {@code script} in an empty bash and returns the variables it then has, NAME=VALUE\0 each. */
    private Map<String, String> sourced(String script, boolean allExport) throws Exception {
        Path file = Files.writeString(dir.resolve("env-" + System.nanoTime()), script);
        String load = allExport ? "set -a; . \"$1\"; set +a" : ". \"$1\"";
        Process p = new ProcessBuilder("env", "-i", "/bin/bash", "-c", load + "; env -0", "bash", file.toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(bytes, StandardCharsets.UTF_8)).isZero();
        Map<String, String> vars = new LinkedHashMap<>();
        for (String entry : new String(bytes, StandardCharsets.UTF_8).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                vars.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return vars;
    }

    @Test
    void printsEveryRuntimesVariablesAndWritesTheCaFiles() throws Exception {
        Path outDir = dir.resolve("out");

        assertThat(env(outDir, "--app", "tito", "--proxy", "127.0.0.1:18080", "--admin", "127.0.0.1:18081")).as(err.toString()).isZero();

        Map<String, String> vars = sourced(out.toString(), false);
        String bundle = outDir.resolve("ca-bundle.pem").toString();
        assertThat(vars).containsEntry("HTTPS_PROXY", "http://tito:credproxy@127.0.0.1:18080")
                .containsEntry("HTTP_PROXY", "http://tito:credproxy@127.0.0.1:18080")
                .containsEntry("http_proxy", "http://tito:credproxy@127.0.0.1:18080")
                .containsEntry("NO_PROXY", "localhost,127.0.0.1,::1")
                .containsEntry("SSL_CERT_FILE", bundle).containsEntry("REQUESTS_CA_BUNDLE", bundle)
                .containsEntry("CURL_CA_BUNDLE", bundle).containsEntry("GIT_SSL_CAINFO", bundle)
                .containsEntry("PIP_CERT", bundle).containsEntry("AWS_CA_BUNDLE", bundle)
                .containsEntry("NODE_EXTRA_CA_CERTS", ca.toAbsolutePath().toString())
                .containsEntry("NODE_USE_ENV_PROXY", "1")
                .containsEntry("GIT_CONFIG_COUNT", "1").containsEntry("GIT_CONFIG_KEY_0", "http.proxyAuthMethod")
                .containsEntry("GIT_CONFIG_VALUE_0", "basic")
                .containsEntry("JAVA_TOOL_OPTIONS", "-javaagent:" + agent.toAbsolutePath() + "=proxy=127.0.0.1:18080,admin=127.0.0.1:18081,app=tito");
        // --ca names the installed CA: it is not copied, and the bundle ends with it.
        assertThat(outDir.resolve("ca.pem")).doesNotExist();
        assertThat(Files.readString(outDir.resolve("ca-bundle.pem"))).startsWith(Files.readString(roots))
                .endsWith(TestPki.pem(PKI.caCertificate()).replace("\r\n", "\n"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outDir.resolve("ca-bundle.pem")))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outDir))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void hostilePathsAreQuotedSoNothingRunsInShellOrSystemdFormat() throws Exception {
        Path marker = dir.resolve("pwned");
        Path hostile = dir.resolve("it's \"$(touch " + marker + ")\" `touch " + marker + "` $HOME \\ dir");

        assertThat(env(hostile, "--app", "tito")).as(err.toString()).isZero();
        String sh = out.toString();
        assertThat(env(hostile, "--app", "tito", "--format", "systemd")).as(err.toString()).isZero();
        String systemd = out.toString();

        String bundle = hostile.resolve("ca-bundle.pem").toString();
        assertThat(sourced(sh, false)).containsEntry("SSL_CERT_FILE", bundle);
        // systemd's EnvironmentFile= quoting is also what a POSIX shell reads: the same value comes out.
        assertThat(sourced(systemd, true)).containsEntry("SSL_CERT_FILE", bundle).containsEntry("NODE_USE_ENV_PROXY", "1");
        assertThat(systemd).contains("SSL_CERT_FILE=\"" + dir + "/it's \\\"\\$(touch");
        assertThat(marker).doesNotExist();
        assertThat(Files.isRegularFile(hostile.resolve("ca-bundle.pem"))).isTrue();
    }

    @Test
    void jsonIsOneObjectOfNamesAndValues() throws Exception {
        assertThat(env(dir.resolve("out"), "--app", "tito", "--format", "JSON", "--no-agent")).as(err.toString()).isZero();

        Map<String, Object> vars = new ObjectMapper().readValue(out.toString(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
        assertThat(vars.get("HTTPS_PROXY")).isEqualTo("http://tito:credproxy@127.0.0.1:18080");
        assertThat(vars).doesNotContainKey("JAVA_TOOL_OPTIONS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ti'to", "$(id)", "`id`", "ti to", "ti\nto", "tito@evil", "tito:pw", "a/b", "", "é",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void appNamesThatAreNotPlainWordsAreRefused(String app) {
        assertThat(env(dir.resolve("out"), "--app", app)).isEqualTo(2);

        assertThat(err.toString()).startsWith("credproxy: --app: app name '").contains("may hold only letters, digits");
        assertThat(out.toString()).isEmpty();
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void controlCharactersInPathsAreRefusedNotQuoted() {
        assertThat(env(dir.resolve("new\nline"), "--app", "tito")).isEqualTo(2);
        assertThat(err.toString()).contains("holds a control character");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anAgentPathJavaToolOptionsCannotCarryIsRefused() throws Exception {
        agent = Files.writeString(dir.resolve("agent dir.jar"), "stand-in");

        assertThat(env(dir.resolve("out"), "--app", "tito")).isEqualTo(2);
        assertThat(err.toString()).contains("JAVA_TOOL_OPTIONS");
    }

    @Test
    void badAddressesAndFormatsAreRefused() {
        assertThat(env(dir.resolve("out"), "--app", "tito", "--proxy", "a'b:80")).isEqualTo(2);
        assertThat(err.toString()).contains("proxy host 'a'b' is not a host name or an IP address");
        assertThat(env(dir.resolve("out"), "--app", "tito", "--proxy", "127.0.0.1")).isEqualTo(2);
        assertThat(err.toString()).contains("--proxy");
        assertThat(env(dir.resolve("out"), "--app", "tito", "--format", "csv")).isEqualTo(2);
        assertThat(err.toString()).contains("format must be sh, systemd or json, not 'csv'");
    }

    @Test
    void aConfigWithPortZeroNamesTheOptionToUse() throws Exception {
        Path config = Files.writeString(dir.resolve("c.yaml"), "listen: 127.0.0.1:0\nsecrets: env\nca_dir: ca\nrules: []\n");

        assertThat(env(dir.resolve("out"), "--app", "tito", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--proxy: the configured port is 0");
    }

    @Test
    void aCaFileThatIsNotOneCaCertificateIsRefusedBeforeAnythingIsWritten() throws Exception {
        ca = Files.writeString(dir.resolve("leaf.pem"), TestPki.pem(PKI.serverCertificate()));
        assertThat(env(dir.resolve("out"), "--app", "tito")).isEqualTo(1);
        assertThat(err.toString()).contains("is not a CA certificate");

        ca = Files.writeString(dir.resolve("two.pem"), TestPki.pem(PKI.caCertificate()) + TestPki.pem(PKI.caCertificate()));
        assertThat(env(dir.resolve("out"), "--app", "tito")).isEqualTo(1);
        assertThat(err.toString()).contains("holds 2 certificates");

        ca = Files.writeString(dir.resolve("junk.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n");
        assertThat(env(dir.resolve("out"), "--app", "tito")).isEqualTo(1);
        assertThat(err.toString()).contains("is not a PEM certificate");
        assertThat(dir.resolve("out")).doesNotExist();

        ca = dir.resolve("missing.pem");
        assertThat(env(dir.resolve("out"), "--app", "tito")).isEqualTo(2);
        assertThat(err.toString()).contains("--ca: " + ca + " does not exist");
    }

    @Test
    void fetchesTheCaFromTheAdminPortAndRefusesWhatIsNotOne() throws Exception {
        HttpServer admin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        String[] answer = {TestPki.pem(PKI.caCertificate())};
        admin.createContext("/ca.pem", x -> {
            byte[] body = answer[0].getBytes(StandardCharsets.US_ASCII);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        admin.start();
        try {
            String address = "127.0.0.1:" + admin.getAddress().getPort();
            List<String> args = List.of("env", "--admin", address, "--app", "tito", "--system-roots", roots.toString(),
                    "--no-agent", "--dir", dir.resolve("fetched").toString());

            assertThat(run(args.toArray(String[]::new))).as(err.toString()).isZero();
            assertThat(dir.resolve("fetched/ca.pem")).hasContent(TestPki.pem(PKI.caCertificate()).strip().replace("\r\n", "\n"));

            answer[0] = "<html>not a certificate</html>";
            assertThat(run(args.toArray(String[]::new))).isEqualTo(1);
            assertThat(err.toString()).contains("GET http://" + address + "/ca.pem is not a PEM certificate");
        } finally {
            admin.stop(0);
        }
        assertThat(run("env", "--admin", "127.0.0.1:1", "--app", "tito", "--no-agent", "--dir", dir.resolve("x").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach the daemon's admin endpoint at 127.0.0.1:1");
    }

    @Test
    void aSecondRunLeavesUnchangedFilesAloneAndAPlantedLinkIsReplacedNotFollowed() throws Exception {
        Path outDir = dir.resolve("out");
        assertThat(env(outDir, "--app", "tito")).isZero();
        Path bundle = outDir.resolve("ca-bundle.pem");
        Files.setLastModifiedTime(bundle, FileTime.fromMillis(1_000_000_000_000L));

        assertThat(env(outDir, "--app", "tito")).isZero();
        assertThat(Files.getLastModifiedTime(bundle).toMillis()).isEqualTo(1_000_000_000_000L);

        Path victim = Files.writeString(dir.resolve("victim"), "untouched");
        Files.delete(bundle);
        Files.createSymbolicLink(bundle, victim);
        assertThat(env(outDir, "--app", "tito")).isZero();
        assertThat(victim).hasContent("untouched");
        assertThat(Files.isSymbolicLink(bundle)).isFalse();
    }

    @Test
    void unreadableSystemRootsAreNamed() {
        roots = dir.resolve("no-roots.pem");

        assertThat(env(dir.resolve("out"), "--app", "tito")).isEqualTo(1);
        assertThat(err.toString()).contains("cannot read the system roots " + roots + ": NoSuchFileException");
    }

    @Test
    void warnsWhenOtherUsersCannotReachTheFiles() throws Exception {
        Path closed = Files.createDirectory(dir.resolve("closed"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

        assertThat(env(closed.resolve("ca"), "--app", "tito")).isZero();
        assertThat(err.toString()).contains("other users cannot enter " + closed);
    }
}
