package io.credproxy.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The whole credproxy story on one machine: {@code credproxy demo} runs this in its own JVM.
 *
 * <p>Starts the stand-in upstreams and the daemon with freshly generated demo secrets
 * ({@link DemoWorld}), runs every {@link DemoScenario} in its own JVM under the agent, then prints
 * per app whether the credential reached the upstream, whether the app ever held a secret, and
 * what was blocked or refused, what the daemon recorded for the refusals, and the per-app report.
 *
 * <p>{@code java -jar credproxy-demo.jar [DIR]} (the demo's files go to DIR, which must be new or
 * empty, else to a new temporary directory); the agent jar is the {@code credproxy.agent.jar} property, else
 * {@code agent/target/credproxy-agent.jar}. The daemon logs to {@code DIR/daemon.log}, not the
 * console. Exit status 0 when every run went as it should, 1 when one did not (the demo says
 * which), 2 when the agent jar is missing or DIR is not usable.
 */
public final class DemoRunner {
    private DemoRunner() {}

    public static void main(String[] args) throws Exception {
        Path dir;
        try {
            dir = directory(args.length > 0 ? Path.of(args[0]) : null);
        } catch (IllegalArgumentException e) {
            System.err.println("credproxy demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        // Before anything touches a logger: the daemon in this JVM logs to a file, the console is the story's.
        Path daemonLog = dir.resolve("daemon.log");
        System.setProperty("credproxy.demo.log", daemonLog.toString());
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "credproxy-demo-logback.xml");
        }
        Path agent = Path.of(System.getProperty("credproxy.agent.jar", "agent/target/credproxy-agent.jar")).toAbsolutePath();
        if (!Files.isRegularFile(agent)) {
            System.err.println("credproxy demo: no agent jar at " + agent + "; build it with: mvn -B -DskipTests package");
            System.exit(2);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        boolean ok;
        try (DemoWorld world = DemoWorld.start(dir)) {
            ok = tell(world, new AppLauncher(world, agent), daemonLog, new DemoStory(out));
        }
        System.exit(ok ? 0 : 1);
    }

    /**
     * The demo's directory: {@code requested} when it is new or empty (created), else a new temporary
     * one. A directory with files in it is refused: the demo writes secrets and a CA key there and
     * must not mix them with anything else.
     */
    static Path directory(Path requested) throws IOException {
        if (requested == null) {
            return Files.createTempDirectory("credproxy-demo-").toAbsolutePath();
        }
        if (Files.isDirectory(requested)) {
            try (Stream<Path> entries = Files.list(requested)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(requested + " is not empty; give a new or empty directory "
                            + "(the demo writes its secrets and CA there)");
                }
            }
        } else if (Files.exists(requested)) {
            throw new IllegalArgumentException(requested + " is not a directory");
        }
        return Files.createDirectories(requested).toAbsolutePath();
    }

    private static boolean tell(DemoWorld world, AppLauncher launcher, Path daemonLog, DemoStory story) throws Exception {
        List<DemoScenario> scenarios = DemoScenario.all();
        story.intro(world, scenarios.size(), daemonLog);
        List<AppLauncher.Finished> finished = new ArrayList<>();
        for (DemoScenario scenario : scenarios) {
            AppLauncher.Finished run = launcher.run(scenario);
            story.app(finished.size() + 1, scenarios.size(), run);
            finished.add(run);
        }
        List<AppRun> runs = finished.stream().map(f -> AppRun.judge(f, world)).toList();
        story.summary(runs);
        story.daemonView(runs);
        boolean ok = story.verdict(runs);
        return story.report(world.admin()) && ok;
    }
}
