package io.credproxy.bench.hostile;

import io.credproxy.bench.BenchClients;
import io.credproxy.bench.Endpoints;
import io.credproxy.bench.ExpectedAuth;
import io.credproxy.bench.ProcessStats;
import io.credproxy.bench.Tally;
import io.credproxy.bench.Target;
import io.credproxy.bench.TargetSession;
import io.credproxy.bench.scenario.RequestLoopScenario;
import io.credproxy.bench.scenario.RequestLoopScenario.Mode;
import io.credproxy.bench.scenario.Scenario;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The hostile-load scenario: normal traffic through credproxy, measured quiet and then beside a
 * hostile workload ({@link HostileConnections}: idle connections and slow heads, kept up), so the
 * report shows what the attack costs everyone else.
 *
 * <p>Normal traffic comes from 127.0.0.1, the attack from {@code --attacker} (127.0.0.2): the
 * daemon's per-peer limit keys on the address until peers have an identity. Appends a Markdown
 * section to {@code --out}. Exit status 1 when a normal request failed or got the wrong
 * credential, 2 for bad arguments.
 */
@Command(name = "HostileLoad", mixinStandardHelpOptions = true,
        description = "Normal traffic through a proxy, quiet and beside idle connections and slow heads.")
public final class HostileLoad implements Callable<Integer> {
    @Option(names = "--proxy", required = true, description = "HOST:PORT of the proxy")
    String proxy;

    @Option(names = "--admin", required = true, description = "HOST:PORT of credproxy's admin port (for /metrics)")
    String admin;

    @Option(names = "--pid", description = "the proxy's process id (memory, descriptors, CPU)")
    long pid;

    @Option(names = "--ca", required = true, description = "the proxy's CA certificate")
    Path ca;

    @Option(names = "--secrets", required = true)
    Path secrets;

    @Option(names = "--secret-name", defaultValue = "BENCH_API_TOKEN")
    String secretName;

    @Option(names = "--echo-url", required = true)
    URI echo;

    @Option(names = "--idle", defaultValue = "10000", description = "idle connections")
    int idle;

    @Option(names = "--slow", defaultValue = "5000", description = "slow heads (a byte a second)")
    int slow;

    @Option(names = "--seconds", defaultValue = "10", description = "measured seconds per phase and load")
    int seconds;

    @Option(names = "--attacker", defaultValue = "127.0.0.2", description = "the address the attack comes from")
    String attacker;

    @Option(names = "--out", required = true, description = "the Markdown report to append the section to")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HostileLoad()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        InetSocketAddress proxyAddress = address(proxy);
        Target target = new Target("credproxy", proxyAddress, pid, ca, true);
        ProcessStats stats = pid > 0 ? new ProcessStats(pid, ProcessStats.clockTicksPerSecond()) : null;
        URI unused = echo;
        TargetSession session = new TargetSession(new BenchClients(target), ExpectedAuth.fromEnvFile(secrets, secretName),
                new Endpoints(echo, unused, 0, unused, unused), stats);
        Duration measure = Duration.ofSeconds(seconds);
        Duration warmup = Duration.ofSeconds(Math.max(1, seconds / 3));
        List<Scenario> loads = List.of(
                new RequestLoopScenario("keepalive-c8", Mode.KEEP_ALIVE, 8, warmup, warmup, measure),
                new RequestLoopScenario("newconn-c2", Mode.NEW_CONNECTION, 2, warmup, warmup, measure));
        List<String> rows = new ArrayList<>();
        long errors = 0;
        try {
            for (Scenario load : loads) {
                Tally quiet = load.run(session, true);
                rows.add(row("quiet", load.id(), quiet, ""));
                errors += quiet.errors();
            }
            System.out.printf("hostile: opening %,d idle connections and %,d slow heads from %s%n", idle, slow, attacker);
            String attackState;
            try (HostileConnections attack = new HostileConnections(proxyAddress, InetAddress.getByName(attacker))) {
                long opening = System.nanoTime();
                attack.open(idle, slow);
                Thread.sleep(2_000); // the last connects land
                double openSeconds = (System.nanoTime() - opening) / 1e9;
                for (Scenario load : loads) {
                    Tally hostile = load.run(session, false);
                    rows.add(row("beside the attack", load.id(), hostile, attack.openIdle() + " idle, " + attack.openSlow() + " slow"));
                    errors += hostile.errors();
                }
                attackState = String.format(Locale.ROOT, "opened in %.1f s; at the end %,d idle and %,d slow connections open, %,d "
                        + "cut by the daemon and opened again, %,d connects failed", openSeconds, attack.openIdle(),
                        attack.openSlow(), attack.closedByProxy(), attack.connectFailures());
                attackState += "; daemon: " + daemonState(stats);
            }
            write(rows, attackState);
        } finally {
            session.clients().close();
        }
        return errors == 0 ? 0 : 1;
    }

    private String row(String phase, String load, Tally t, String held) {
        return String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f | %.1f | %.1f | %d%s | %s |", phase, load, t.perSecond(),
                t.percentileMillis(50), t.percentileMillis(95), t.percentileMillis(99), t.percentileMillis(100), t.errors(),
                t.firstError() == null ? "" : " (" + t.firstError() + ")", held.isEmpty() ? "-" : held);
    }

    /** RSS and descriptors from /proc, and what its limits did, from /metrics. */
    private String daemonState(ProcessStats stats) {
        StringBuilder s = new StringBuilder();
        if (stats != null) {
            s.append(String.format(Locale.ROOT, "RSS %.0f MiB, %,d descriptors", stats.rssKib() / 1024.0, stats.openFds()));
        }
        try {
            HttpResponse<String> metrics = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build().send(
                    HttpRequest.newBuilder(URI.create("http://" + admin + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            for (String line : metrics.body().split("\n")) {
                if ((line.startsWith("credproxy_limit_rejections_total") && !line.endsWith(" 0.0"))
                        || line.startsWith("credproxy_connections_active ") || line.startsWith("credproxy_connections_max ")) {
                    s.append("; ").append(line.replace("credproxy_", ""));
                }
            }
        } catch (IOException e) {
            s.append("; /metrics unavailable: ").append(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return s.toString();
    }

    private void write(List<String> rows, String attackState) throws IOException {
        StringBuilder md = new StringBuilder()
                .append("\n## Hostile load (credproxy)\n\n")
                .append(String.format(Locale.ROOT, "Normal traffic from 127.0.0.1 (GET through an intercepted tunnel, the credential "
                        + "checked on every answer), first quiet, then beside %,d idle connections and %,d slow heads (a byte a "
                        + "second, never finished) from %s, which the attacker opens again whenever the daemon cuts them. %d s per "
                        + "row.%n%n", idle, slow, attacker, seconds))
                .append("| phase | load | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | attack connections open |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        md.append("\nAttack: ").append(attackState).append("\n");
        System.out.print(md);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, md, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new CommandLine.ParameterException(new CommandLine(new HostileLoad()), "expected HOST:PORT, got " + hostPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
