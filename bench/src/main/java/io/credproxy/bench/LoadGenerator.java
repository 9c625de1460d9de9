package io.credproxy.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Drives the same HTTPS load against each target (direct, credproxy, mitmdump) in interleaved
 * rounds and writes the comparison as Markdown.
 *
 * <p>Exit status: 0 when every direct and credproxy response was right, 1 when any was wrong or
 * failed (the competitor's errors are reported, not fatal), 2 for bad arguments. The targets of
 * issue 5 are reported as met or not; missing one does not change the exit status.
 */
@Command(name = "LoadGenerator", mixinStandardHelpOptions = true,
        description = "HTTPS load through proxies, compared side by side (see docs/BENCHMARKS.md).")
public final class LoadGenerator implements Callable<Integer> {
    @Option(names = "--target", required = true,
            description = "name=N,ca=FILE[,proxy=HOST:PORT][,pid=P]; repeat; the names direct, credproxy and mitmdump get ratios")
    List<String> targets;

    @Option(names = "--secrets", required = true, description = "env file holding the credential the upstream must see")
    Path secrets;

    @Option(names = "--secret-name", defaultValue = "BENCH_API_TOKEN")
    String secretName;

    @Option(names = "--echo-url", required = true)
    URI echo;

    @Option(names = "--download-url", required = true)
    URI download;

    @Option(names = "--download-bytes", required = true, description = "size of the file behind --download-url")
    long downloadBytes;

    @Option(names = "--upload-url", required = true)
    URI upload;

    @Option(names = "--sse-url", required = true)
    URI sse;

    @Option(names = "--echo-h2-url", description = "the echo endpoint on a server offering h2 (the h2 scenario)")
    URI echoH2;

    @Option(names = "--grpc-target", description = "host:port of the benchmark's gRPC upstream (the gRPC scenario)")
    String grpc;

    @Option(names = "--profile", defaultValue = "full", description = "full or smoke")
    String profile;

    @Option(names = "--seconds", defaultValue = "10", description = "measured seconds per request segment (full)")
    int seconds;

    @Option(names = "--rounds", defaultValue = "3", description = "interleaved rounds per scenario (full)")
    int rounds;

    @Option(names = "--prime-seconds", description = "unmeasured warm-up of every target before the first scenario (default: 10 full, 0 smoke)")
    Integer primeSeconds;

    @Option(names = "--only", split = ",", description = "run only these scenario ids")
    List<String> only;

    @Option(names = "--meta", description = "KEY=VALUE lines for the report's header; repeat")
    List<String> metaLines = new ArrayList<>();

    @Option(names = "--out", description = "write the Markdown report here as well")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGenerator()).execute(args));
    }

    @Override
    public Integer call() throws IOException, GeneralSecurityException, InterruptedException {
        List<PlannedScenario> plan = switch (profile) {
            case "full" -> Profiles.full(seconds, rounds, downloadBytes);
            case "smoke" -> Profiles.smoke(downloadBytes);
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "--profile must be full or smoke");
        };
        plan = plan.stream().filter(p -> !(p.scenario() instanceof io.credproxy.bench.scenario.RequestLoopScenario loop)
                || loop.mode() != io.credproxy.bench.scenario.RequestLoopScenario.Mode.KEEP_ALIVE_H2 || echoH2 != null)
                .filter(p -> !(p.scenario() instanceof io.credproxy.bench.scenario.RequestLoopScenario loop)
                        || loop.mode() != io.credproxy.bench.scenario.RequestLoopScenario.Mode.GRPC_UNARY || grpc != null)
                .toList();
        if (only != null && !only.isEmpty()) {
            plan = plan.stream().filter(p -> only.contains(p.scenario().id())).toList();
        }
        if (Runtime.version().feature() < 21) {
            System.err.println("loadgen: WARNING: Java " + Runtime.version().feature()
                    + " cannot close an HttpClient; the new-connection scenarios leave idle clients to the GC. Java 21+ is better.");
        }
        ExpectedAuth auth = ExpectedAuth.fromEnvFile(secrets, secretName);
        Endpoints endpoints = new Endpoints(echo, download, downloadBytes, upload, sse, echoH2, grpc);
        long ticks = ProcessStats.clockTicksPerSecond();
        List<TargetSession> sessions = new ArrayList<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("profile", profile);
        for (String line : metaLines) {
            int eq = line.indexOf('=');
            meta.put(eq > 0 ? line.substring(0, eq) : line, eq > 0 ? line.substring(eq + 1) : "");
        }
        meta.put("load generator", "Java " + Runtime.version() + ", JDK HttpClient, HTTP/1.1 (HTTP/2 for h2-*), gRPC-java for grpc-*");
        try {
            for (String spec : targets) {
                Target target = Target.parse(spec);
                ProcessStats stats = target.watchedPid().map(pid -> new ProcessStats(pid, ticks)).orElse(null);
                if (stats != null && !stats.peakResettable()) {
                    meta.put("peak RSS of " + target.name(), "lifetime peak (cannot reset /proc/" + stats.pid() + "/clear_refs)");
                }
                sessions.add(new TargetSession(new BenchClients(target), auth, endpoints, stats));
            }
            InterleavedRunner runner = new InterleavedRunner(sessions, System.out);
            int prime = primeSeconds != null ? primeSeconds : profile.equals("full") ? 10 : 0;
            meta.put("warm-up", prime == 0 ? "none" : prime + " s keep-alive (16 workers) and " + prime
                    + " s new connections (4 workers) per target before the first scenario, unmeasured");
            runner.prime(Duration.ofSeconds(prime));
            Map<String, Map<String, Tally>> results = runner.run(plan);
            ResultReport report = new ResultReport(plan, results, meta);
            String markdown = report.markdown();
            System.out.println();
            System.out.print(markdown);
            if (out != null) {
                if (out.getParent() != null) {
                    Files.createDirectories(out.getParent());
                }
                Files.writeString(out, markdown);
                System.out.println("loadgen: report written to " + out);
            }
            List<String> failures = report.failures();
            if (!failures.isEmpty()) {
                failures.forEach(f -> System.err.println("loadgen: FAILED: " + f));
                return 1;
            }
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("loadgen: " + e.getMessage());
            return 2;
        } finally {
            sessions.forEach(s -> s.clients().close());
        }
    }
}
