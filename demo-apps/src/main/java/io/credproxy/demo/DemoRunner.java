package io.credproxy.demo;

import io.credproxy.daemon.cli.JavaLauncher;
import io.credproxy.testing.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The whole credproxy story on one machine: {@code ./credproxy demo}.
 *
 * <p>Starts a stand-in upstream for {@code api.cloudflare.com} and the daemon with freshly generated
 * demo secrets (a 0600 file), runs every demo app in its own JVM under the agent with nothing but the
 * {@code proxy-managed} placeholder in its environment, then prints per app: did the credential reach
 * the upstream, did the app ever hold it (its output and environment are searched for the value), and
 * what was blocked. Then the same raw-socket app once more with {@code sockets=block}.
 *
 * <p>Run it with the demo-apps class path ({@code java -cp ... io.credproxy.demo.DemoRunner [DIR]});
 * the agent jar is {@code agent/target/credproxy-agent.jar} or the {@code credproxy.agent.jar}
 * property. Exit status 0 when every app's credential reached the upstream and no app held it.
 */
public final class DemoRunner {
    private static final List<Class<?>> APPS = List.of(JdkHttpClientDemo.class, UrlConnectionDemo.class, OkHttpDemo.class,
            ApacheClassicDemo.class, ApacheAsyncDemo.class, RawSocketDemo.class, SocketChannelDemo.class);

    private DemoRunner() {}

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Files.createDirectories(Path.of(args[0])) : Files.createTempDirectory("credproxy-demo-");
        Path agent = Path.of(System.getProperty("credproxy.agent.jar", "agent/target/credproxy-agent.jar")).toAbsolutePath();
        if (!Files.isRegularFile(agent)) {
            System.err.println("credproxy demo: no agent jar at " + agent + " (build with: mvn -B -DskipTests package)");
            System.exit(2);
        }
        boolean allGood = true;
        try (DemoWorld world = DemoWorld.start(dir)) {
            System.out.println("credproxy demo: daemon on " + world.proxy() + " (admin " + world.admin() + "), stand-in "
                    + DemoWorld.CLOUDFLARE + " on " + world.upstream.address() + ", demo secrets in "
                    + dir.resolve("secret/secrets.env") + " (0600)");
            System.out.println();
            List<String> summary = new ArrayList<>();
            for (Class<?> app : APPS) {
                allGood &= run(world, agent, app, "", summary);
            }
            run(world, agent, RawSocketDemo.class, ",sockets=block", summary);
            System.out.println();
            System.out.println(String.format("%-36s %-22s %-14s %s", "app", "credential at upstream", "app held it", "blocked"));
            summary.forEach(System.out::println);
        }
        System.exit(allGood ? 0 : 1);
    }

    private static boolean run(DemoWorld world, Path agent, Class<?> app, String extraOptions, List<String> summary) throws Exception {
        String run = UUID.randomUUID().toString();
        String name = app.getSimpleName() + (extraOptions.isEmpty() ? "" : " (sockets=block)");
        List<String> command = new ArrayList<>(List.of(JavaLauncher.current().toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-javaagent:" + agent + "=" + world.agentOptions(app.getSimpleName()) + extraOptions));
        command.addAll(world.childJvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), app.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(world.childEnvironment(run));
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Path log = world.dir.resolve("app-" + app.getSimpleName() + (extraOptions.isEmpty() ? "" : "-block") + ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        output.lines().filter(l -> !l.startsWith("WARNING")).forEach(l -> System.out.println("  " + l));

        List<RecordedRequest> seen = world.requestsFor(run);
        boolean reached = !seen.isEmpty() && seen.stream()
                .allMatch(r -> ("Bearer " + world.secret()).equals(r.firstHeader("Authorization")));
        boolean held = output.contains(world.secret()) || builder.environment().containsValue(world.secret());
        String blocked = output.lines().filter(l -> l.contains("credproxy: blocked direct connection to"))
                .map(l -> l.substring(l.indexOf("credproxy: blocked") + "credproxy: ".length())).findFirst().orElse("-");
        summary.add(String.format("%-36s %-22s %-14s %s", name, reached ? "yes (" + seen.size() + " request(s))" : "no",
                held ? "YES" : "no", blocked));
        return reached && !held;
    }
}
