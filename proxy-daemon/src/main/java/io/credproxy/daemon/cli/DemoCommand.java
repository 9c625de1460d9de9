package io.credproxy.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code credproxy demo}: runs the end-to-end demonstration ({@code credproxy-demo.jar}) in a child JVM.
 *
 * <p>The demo (stand-in upstreams, a daemon, the demo apps under the agent) is built by the
 * {@code demo-apps} module, which depends on the daemon; so the daemon jar cannot contain it and
 * this verb starts it instead, on the same JDK, with the terminal handed over ({@code inheritIO}),
 * and exits with its status. The jars are found beside the daemon jar (an installed
 * {@code /opt/credproxy}) or in the source tree the daemon jar was built in
 * ({@code proxy-daemon/target/../../demo-apps/target}), unless named with {@code --demo-jar} and
 * {@code --agent-jar}. A jar that is missing is exit 2 with how to build it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the whole story on this machine: stand-in upstreams for api.cloudflare.com and friends "
                + "on 127.0.0.1, a daemon with freshly generated demo secrets, every demo app under the agent "
                + "trying to bypass it, then a summary per app and the per-app report.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every app's credential reached its upstream and no app held one",
                        "1:the demo found a problem (it says which)", "2:a jar is missing or an option is wrong"})
final class DemoCommand implements Callable<Integer> {
    static final String DEMO_JAR = "credproxy-demo.jar";
    static final String AGENT_JAR = "credproxy-agent.jar";
    static final String BUILD_HINT = "build it with: mvn -B -DskipTests package";

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "a new or empty directory for the demo's files: logs, audit log, its throw-away CA and "
                    + "demo secrets (default: a new directory under the system's temporary directory)")
    Path dir;

    @Option(names = "--demo-jar", paramLabel = "FILE", description = "the demo jar (default: found beside the daemon jar, "
            + "or demo-apps/target/" + DEMO_JAR + " in its source tree)")
    Path demoJar;

    @Option(names = "--agent-jar", paramLabel = "FILE", description = "the agent jar (default: found beside the daemon jar, "
            + "or agent/target/" + AGENT_JAR + " in its source tree)")
    Path agentJar;

    /** Where this daemon's code lives (the daemon jar's directory, or the classes directory); tests replace it. */
    Path home = codeHome();

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Optional<Path> demo = locate(demoJar, "--demo-jar", DEMO_JAR, "demo-apps", err);
        Optional<Path> agent = locate(agentJar, "--agent-jar", AGENT_JAR, "agent", err);
        if (demo.isEmpty() || agent.isEmpty()) {
            return CredproxyCli.EXIT_REFUSED;
        }
        List<String> command = new ArrayList<>(List.of(JavaLauncher.current().toString(),
                "-Dcredproxy.agent.jar=" + agent.get(), "-jar", demo.get().toString()));
        if (dir != null) {
            command.add(dir.toAbsolutePath().toString());
        }
        spec.commandLine().getOut().flush();
        err.flush();
        Process process = new ProcessBuilder(command).inheritIO().start();
        // Ctrl-C reaches the child through the terminal; a plain kill of this JVM should not leave it behind.
        Thread reaper = new Thread(process::destroy, "credproxy-demo-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            return process.waitFor();
        } finally {
            removeHook(reaper);
        }
    }

    /** The named file, or the jar found beside the daemon or in its source tree; empty after printing why. */
    private Optional<Path> locate(Path named, String option, String jarName, String module, PrintWriter err) {
        if (named != null) {
            if (Files.isRegularFile(named)) {
                return Optional.of(named.toAbsolutePath());
            }
            err.println("credproxy demo: " + option + " " + named + " is not a file");
            return Optional.empty();
        }
        List<Path> candidates = candidates(home, jarName, module);
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        err.println("credproxy demo: " + jarName + " not found (looked at " + candidates.get(candidates.size() - 1)
                + "); " + BUILD_HINT + " (or name it with " + option + " FILE)");
        return Optional.empty();
    }

    /** Beside the daemon ({@code /opt/credproxy}), then {@code MODULE/target} of the source tree it was built in. */
    static List<Path> candidates(Path home, String jarName, String module) {
        List<Path> out = new ArrayList<>();
        out.add(home.resolve(jarName));
        // home is proxy-daemon/target (the jar) or proxy-daemon/target/classes (a development run).
        for (Path dir = home; dir != null; dir = dir.getParent()) {
            if (dir.getFileName() != null && dir.getFileName().toString().equals("target") && dir.getParent() != null
                    && dir.getParent().getParent() != null) {
                out.add(dir.getParent().getParent().resolve(module).resolve("target").resolve(jarName));
                break;
            }
        }
        return out;
    }

    /** The daemon jar's directory, or the classes directory of a development run. */
    static Path codeHome() {
        try {
            Path code = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            return Files.isDirectory(code) ? code : code.getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("").toAbsolutePath();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already stopping: the hook runs and stops the child, which is what we want.
        }
    }
}
