package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.testing.Canaries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./credproxy demo}, run the way a newcomer runs it: the launcher script in a child process,
 * the packaged jars, the whole output captured.
 *
 * <p>The demo generates its secrets afresh, so this test reads them from the demo directory after
 * the run and searches every byte the demo printed, and every file it wrote besides the secrets
 * file, for each value. It runs once for the class; each test checks one property of that run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoIT {
    private static final Path LAUNCHER = Path.of(System.getProperty("credproxy.launcher", "../credproxy")).toAbsolutePath().normalize();

    private Path dir;
    private int exitCode;
    private String output;
    private Map<String, String> secrets;

    @BeforeAll
    void runTheDemo(@TempDir Path tmp) throws Exception {
        Path repo = LAUNCHER.getParent();
        for (String jar : List.of("proxy-daemon/target/credproxy-daemon.jar", "agent/target/credproxy-agent.jar",
                "demo-apps/target/credproxy-demo.jar")) {
            // The launcher would build a missing jar; a test must not start a build.
            assertThat(repo.resolve(jar)).as("run 'mvn -B package' first").isRegularFile();
        }
        dir = tmp.resolve("demo");
        Path log = tmp.resolve("output.txt");
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "demo", "--dir", dir.toString())
                .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("JAVA_OPTS");
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("credproxy demo did not finish in 5 minutes: " + Files.readString(log));
        }
        System.out.printf("credproxy demo took %.1f s%n", (System.nanoTime() - start) / 1e9);
        exitCode = process.exitValue();
        output = Files.readString(log, StandardCharsets.UTF_8);
        secrets = readSecrets(dir.resolve("secret/secrets.env"));
    }

    @Test
    void exitsZeroSayingEveryAppsCredentialReachedItsUpstream() {
        assertThat(exitCode).as(output).isZero();
        assertThat(output).contains("Result: OK. Every app's credential reached its upstream (9 of 9 apps), no app ever held a secret");
        for (DemoScenario scenario : DemoScenario.all()) {
            // Summary columns are at least two spaces apart: app, destination, credential, held, blocked or refused.
            String[] row = output.lines().filter(l -> l.startsWith("  " + scenario.app() + " ")).findFirst().orElseThrow()
                    .strip().split("\\s{2,}");
            assertThat(row[1]).isEqualTo(scenario.destination());
            if (scenario.expect() == DemoScenario.Expect.CREDENTIAL_ADDED) {
                assertThat(row[2]).as(scenario.app()).matches("yes: (\\d+) of \\1 requests?");
            } else {
                assertThat(row[2]).as(scenario.app()).isIn("none sent", "no, as it should be");
            }
            assertThat(row[3]).as(scenario.app() + " held a secret").isEqualTo("no");
        }
    }

    @Test
    void showsTheBlockedSocketTheHostSpoofAndThePlainRequestFromTheDaemonsSide() {
        assertThat(output).contains("agent: blocked direct connection to api.cloudflare.com:")
                .contains("daemon: 421, Host header does not match the CONNECT target")
                .contains("daemon: passed on without a credential")
                .contains("What the daemon recorded for the spoofed and the plain-HTTP request")
                .contains("reason: no credentials over plain http");
    }

    @Test
    void endsWithThePerAppReportFromTheLiveDaemon() {
        String report = output.substring(output.indexOf("The per-app report, as an operator sees it (credproxy report --admin 127.0.0.1:"));
        assertThat(report).contains("credproxy report: ").contains("(source: daemon");
        // The overview: one row per app that reached the daemon, columns as in its header line.
        List<String> header = List.of(report.lines().filter(l -> l.startsWith("APP ")).findFirst().orElseThrow().split("\\s+"));
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        report.lines().dropWhile(l -> !l.startsWith("APP ")).skip(1).takeWhile(l -> !l.isBlank()).forEach(l -> {
            String[] cells = l.split("\\s+");
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < cells.length && i < header.size(); i++) {
                row.put(header.get(i), cells[i]);
            }
            rows.put(cells[0], row);
        });
        for (DemoScenario scenario : DemoScenario.all()) {
            Map<String, String> row = rows.get(scenario.app());
            switch (scenario.expect()) {
                case CREDENTIAL_ADDED -> assertThat(row).as(scenario.app()).containsEntry("INJECTED", row.get("REQUESTS"))
                        .containsEntry("DENIED", "0").containsEntry("PASSTHROUGH", "0");
                case MISDIRECTED -> assertThat(row).as(scenario.app()).containsEntry("DENIED", "1").containsEntry("INJECTED", "0");
                case NO_CREDENTIAL_OVER_PLAIN_HTTP -> assertThat(row).as(scenario.app()).containsEntry("PASSTHROUGH", "1")
                        .containsEntry("INJECTED", "0");
                case SOCKET_BLOCKED -> {
                    // Never reached the daemon; it shows once the agent reports its bypass events (POST /events).
                }
            }
        }
        assertThat(report.lines().filter(l -> l.startsWith("== ")).count()).as("a section per app").isEqualTo(rows.size());
    }

    @Test
    void everyAppRanWithEveryHookWoven() throws Exception {
        ChildJvm.assertInstrumented(output, "the demo's output");
        try (var logs = Files.list(dir.resolve("apps"))) {
            List<Path> files = logs.toList();
            assertThat(files).as("the apps' logs").isNotEmpty();
            for (Path log : files) {
                ChildJvm.assertInstrumented(Files.readString(log, StandardCharsets.UTF_8), log.toString());
            }
        }
    }

    @Test
    void neverPrintsOrWritesASecretValue() throws Exception {
        assertThat(secrets).as("the demo's secrets file").hasSize(6);
        assertThat(Files.getPosixFilePermissions(dir.resolve("secret/secrets.env")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Canaries.findLeaks(secrets, List.of(), Map.of("the demo's output", output))).isEmpty();
        List<String> inFiles = Canaries.findLeaks(secrets, List.of(dir), Map.of());
        assertThat(inFiles).as("files the demo wrote, besides its secrets file")
                .allMatch(hit -> hit.startsWith(dir.resolve("secret/secrets.env").toString()));
    }

    @Test
    void printsNoLogLinesAndSaysWhereTheDaemonLogIs() throws Exception {
        // Log lines: a timestamp first, or "LEVEL logger - message" (Logback's and most patterns), or a logging library's own say.
        assertThat(output.lines()).noneMatch(l -> l.matches("^\\d{4}-\\d\\d-\\d\\dT.*")
                || l.matches(".*\\b(TRACE|DEBUG|INFO|WARN|ERROR)\\s+[\\w.$\\[\\]-]+ - .*")
                // A report row ("!! TUNNELED ... io.netty.channel.epoll.LinuxSocket") names Netty as the client: not a log line.
                || l.contains("io.netty") && !l.startsWith("!! ") || l.contains("SLF4J") || l.contains("logback")
                || l.startsWith("WARNING"));
        assertThat(output).contains("daemon log daemon.log");
        assertThat(dir.resolve("daemon.log")).content().contains("credproxy started").contains("app=jdk-httpclient");
    }

    private static Map<String, String> readSecrets(Path file) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }
}
