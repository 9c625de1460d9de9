package io.credproxy.demo;

import io.credproxy.daemon.cli.JavaLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs a demo scenario's app as a sandboxed app would run: its own JVM on this JDK, under the agent,
 * with the demo's hosts file and trust store, and an environment holding only the placeholders,
 * the URL to call and {@code PATH}. Its output goes to {@code DIR/apps/APP.log}.
 */
final class AppLauncher {
    private static final long TIMEOUT_SECONDS = 60;

    private final DemoWorld world;
    private final Path agentJar;
    private final Path logDir;

    AppLauncher(DemoWorld world, Path agentJar) throws IOException {
        this.world = world;
        this.agentJar = agentJar;
        this.logDir = Files.createDirectories(world.dir.resolve("apps"));
    }

    /** The directory holding each app's full output. */
    Path logDir() {
        return logDir;
    }

    /** What an app run left: its exit status, its output and the environment it had. */
    record Finished(DemoScenario scenario, String run, int exitCode, String output, Map<String, String> environment) {}

    /** Runs the scenario's app to the end (or {@value #TIMEOUT_SECONDS} s). */
    Finished run(DemoScenario scenario) throws IOException, InterruptedException {
        String run = UUID.randomUUID().toString();
        List<String> command = new ArrayList<>(List.of(JavaLauncher.current().toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-javaagent:" + agentJar + "=" + world.agentOptions(scenario.app()) + scenario.agentOptions()));
        command.addAll(world.childJvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), scenario.main().getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(world.childEnvironmentFor(scenario.plainHttp() ? world.plainUrl(run) : world.url(scenario.api(), run)));
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Path log = logDir.resolve(scenario.app() + ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        int exitCode;
        if (process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            exitCode = process.exitValue();
        } else {
            process.destroyForcibly().waitFor();
            exitCode = -1;
        }
        return new Finished(scenario, run, exitCode, Files.readString(log, StandardCharsets.UTF_8), Map.copyOf(env));
    }
}
