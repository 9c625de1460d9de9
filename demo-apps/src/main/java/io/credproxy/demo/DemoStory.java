package io.credproxy.demo;

import io.credproxy.daemon.cli.CredproxyCli;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the demo tells its reader: what was started, what each app tried and got, the summary per
 * app, what the daemon recorded for the refusals, and the verdict. Prints names, addresses, paths
 * and secret <em>names</em> only; it is never given a secret value.
 */
final class DemoStory {
    private static final int WIDTH = 130;

    private final PrintStream out;

    DemoStory(PrintStream out) {
        this.out = out;
    }

    void intro(DemoWorld world, int runs, Path daemonLog) {
        out.println("credproxy demo: the whole story on this machine; nothing leaves it.");
        out.println();
        out.println("Started, all on 127.0.0.1:");
        out.println("  stand-in upstreams  " + String.join(", ", DemoApi.hosts()));
        out.println("                      on https " + world.upstream.address() + " (and http " + world.plainUpstream.address()
                + " for " + DemoApi.CLOUDFLARE.host() + "), certificates from a");
        out.println("                      throw-away test CA; each API answers 200 only to its real credential");
        out.println("  credproxy daemon    proxy " + address(world.proxy()) + ", admin " + address(world.admin())
                + ", one rule per API, " + world.secrets.size() + " demo secrets");
        out.println("                      generated for this run into " + world.dir.relativize(world.secretsFile)
                + " (mode 0600); no value is ever printed");
        out.println("  " + String.format("%-20s", runs + " app runs") + "each in its own JVM under -javaagent:credproxy-agent.jar, on this JDK");
        out.println("                      (Java " + Runtime.version() + ", " + System.getProperty("java.home") + "), with a hosts file");
        out.println("                      mapping the four names to 127.0.0.1 (a direct connection would work)");
        out.println("                      and nothing but placeholders in the environment:");
        List<String> placeholders = DemoWorld.placeholders().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        for (int i = 0; i < placeholders.size(); i += 2) {
            out.println("                        " + String.join("  ", placeholders.subList(i, Math.min(i + 2, placeholders.size()))));
        }
        out.println("  demo directory      " + world.dir);
        out.println("                      daemon log " + world.dir.relativize(daemonLog) + ", audit log "
                + world.dir.relativize(world.auditLog) + ", each app's output in apps/");
        out.println();
        out.println("Each app tries to get around the proxy:");
    }

    void app(int index, int of, AppLauncher.Finished finished) {
        DemoScenario scenario = finished.scenario();
        out.println(String.format("  [%d/%d] %s -> %s", index, of, scenario.app(), scenario.destination()));
        out.println("        tries: " + scenario.tries());
        List<String> results = finished.output().lines().filter(l -> l.contains(": HTTP ") || l.contains(": FAILED ")).toList();
        if (results.isEmpty()) {
            out.println("        got:   no result line (exit status " + finished.exitCode() + "; see apps/" + scenario.app() + ".log)");
        }
        for (int i = 0; i < results.size(); i++) {
            out.println((i == 0 ? "        got:   " : "               ") + clip(results.get(i), WIDTH - 15));
        }
    }

    void summary(List<AppRun> runs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"app", "destination", "credential at upstream", "app held it", "blocked or refused"});
        for (AppRun run : runs) {
            rows.add(new String[] {run.scenario().app(), run.scenario().destination(), credential(run),
                    run.held().isEmpty() ? "no" : "YES: " + String.join(",", run.held()), blockedOrRefused(run)});
        }
        out.println();
        out.println("Summary (what the upstreams received; each app's output and environment searched for every secret value):");
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < row.length; i++) {
                line.append(' ').append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** The daemon's own records of what it refused or passed on without a credential. */
    void daemonView(List<AppRun> runs) {
        List<String> lines = new ArrayList<>();
        for (AppRun run : runs) {
            for (AuditEvent e : run.refusals()) {
                lines.add(String.format("  %s: %s %s://%s:%d%s", run.scenario().app(), e.method(), e.scheme(), e.host(), e.port(),
                        e.path() == null ? "" : e.path()));
                lines.add("      " + (e.decision() == Decision.DENIED ? "denied, answered " + e.status() : "passed on, upstream answered " + e.status())
                        + ", secrets added: " + (e.secretNames().isEmpty() ? "none" : String.join(",", e.secretNames())));
                lines.add("      reason: " + e.reason());
            }
        }
        if (!lines.isEmpty()) {
            out.println();
            out.println("What the daemon recorded for the spoofed and the plain-HTTP request (its audit events):");
            lines.forEach(out::println);
        }
    }

    /** The verdict; true when every run went as it should. */
    boolean verdict(List<AppRun> runs) {
        List<String> problems = new ArrayList<>();
        for (AppRun run : runs) {
            run.problems().forEach(p -> problems.add(run.scenario().app() + ": " + p));
        }
        out.println();
        if (problems.isEmpty()) {
            long credentialed = runs.stream().filter(r -> r.scenario().expect() == DemoScenario.Expect.CREDENTIAL_ADDED).count();
            out.println("Result: OK. Every app's credential reached its upstream (" + credentialed + " of " + credentialed
                    + " apps), no app ever held a secret,");
            out.println("        and the blocked socket, the Host spoof and the plain-HTTP request got no credential.");
        } else {
            out.println("Result: PROBLEMS:");
            problems.forEach(p -> out.println("  " + p));
        }
        return problems.isEmpty();
    }

    /**
     * Ends with the per-app report as an operator sees it: {@code credproxy report} (table) from the
     * live daemon's {@code /report}. False when it could not be had.
     */
    boolean report(InetSocketAddress admin) {
        String address = address(admin);
        out.println();
        out.println("The per-app report, as an operator sees it (credproxy report --admin " + address + "):");
        out.println();
        PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        int status = CredproxyCli.run(writer, writer, "report", "--admin", address);
        writer.flush();
        if (status != 0) {
            out.println("Result: PROBLEM: the report could not be had (exit status " + status + ", the line above says why)");
        }
        return status == 0;
    }

    private static String credential(AppRun run) {
        int n = run.requests().size();
        if (n == 0) {
            return "none sent";
        }
        if (run.scenario().expect() == DemoScenario.Expect.CREDENTIAL_ADDED) {
            return (run.authorized() == n ? "yes" : "NO") + ": " + run.authorized() + " of " + AppRun.requestCount(n);
        }
        return run.authorized() == 0 && run.leaked() == 0 ? "no, as it should be" : "YES: " + run.authorized() + " of " + AppRun.requestCount(n);
    }

    private static String blockedOrRefused(AppRun run) {
        if (run.blocked() != null) {
            return "agent: " + run.blocked();
        }
        return run.refusals().stream().findFirst()
                .map(e -> e.decision() == Decision.DENIED ? "daemon: " + e.status() + ", " + e.reason()
                        : "daemon: passed on without a credential")
                .orElse("-");
    }

    private static String address(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private static String clip(String line, int max) {
        return line.length() <= max ? line : line.substring(0, max - 3) + "...";
    }
}
