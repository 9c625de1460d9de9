package io.credproxy.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code bench/run.sh --smoke}: every scenario, briefly, against direct, credproxy, squid
 * (ssl-bump) and mitmdump, and the hostile-load scenario against credproxy, so the benchmark cannot
 * rot. Skipped when nginx, squid or mitmdump is not installed ({@code .ci/run} installs them).
 */
class BenchmarkSmokeIT {
    private static final Path ROOT = Path.of(System.getProperty("credproxy.bench.root", "..")).toAbsolutePath().normalize();

    @Test
    void theSmokeRunMeasuresAllFourTargetsWithoutAWrongAnswer() throws Exception {
        for (String tool : List.of("nginx", "squid", "mitmdump", "openssl", "python3")) {
            assumeTrue(onPath(tool), tool + " is not installed: the benchmark smoke run is skipped");
        }
        Path results = ROOT.resolve("bench/target/smoke-results");
        Path log = ROOT.resolve("bench/target/smoke-run.log");
        Files.createDirectories(results);
        Process run = new ProcessBuilder("bash", ROOT.resolve("bench/run.sh").toString(), "--smoke", "--no-build",
                "--results", results.toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = run.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            run.destroy();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("smoke run finished within 5 minutes; output:%n%s", output).isTrue();
        assertThat(run.exitValue()).as("exit status; output:%n%s", output).isZero();
        Path report = newest(results);
        String markdown = Files.readString(report);
        List<String> http1 = List.of("keepalive-c1", "keepalive-c16", "newconn-c4", "download-1MiB", "upload-1MiB",
                "download-echo-1MiB", "sse-first-event", "sse-rate", "sse-echo-rate", "held-100");
        for (String target : List.of("direct", "credproxy", "squid", "mitmdump")) {
            for (String scenario : http1) {
                assertThat(markdown).as("report row for %s / %s", scenario, target).contains("| " + scenario + " | " + target + " |");
            }
            // squid 5 bumps to HTTP/1.1 only: the h2 and gRPC scenarios skip it.
            for (String scenario : List.of("h2-keepalive-c16", "grpc-unary-c16")) {
                assertThat(markdown.contains("| " + scenario + " | " + target + " |")).as("row for %s / %s", scenario, target)
                        .isEqualTo(!target.equals("squid"));
            }
        }
        // squid's errors do not fail a run (it is a competitor), but a squid set up wrong would make
        // every comparison meaningless: its kept-alive answers must all carry the right credential.
        for (String scenario : List.of("keepalive-c1", "keepalive-c16", "newconn-c4")) {
            assertThat(markdown).containsPattern("\\| " + scenario + " \\| squid \\| [\\d,]+ \\| [\\d.,]+ \\| [\\d.,]+ \\| 0 \\| ");
        }
        // The hostile-load scenario: normal traffic quiet and beside the attack, every request right.
        assertThat(markdown).contains("## Hostile load (credproxy)");
        for (String phase : List.of("quiet", "beside the attack")) {
            for (String load : List.of("keepalive-c8", "newconn-c2")) {
                assertThat(markdown).containsPattern("\\| " + phase + " \\| " + load + " \\| \\d+ \\|.* \\| 0 \\| ");
            }
        }
        // The secret the run generated never reaches the report or the console.
        assertThat(output).doesNotContain("BENCH_API_TOKEN=");
        assertThat(markdown).doesNotContainPattern("bench-[0-9a-f]{48}");
        assertThat(output).doesNotContainPattern("bench-[0-9a-f]{48}");
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static Path newest(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith("-smoke.md"))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .orElseThrow(() -> new AssertionError("no smoke report in " + dir));
        }
    }
}
