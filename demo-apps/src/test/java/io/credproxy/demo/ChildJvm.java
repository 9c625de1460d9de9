package io.credproxy.demo;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A demo app (or test fixture) run in a child JVM, with or without the agent, on a given JDK.
 *
 * <p>Child JVMs start with {@code -Xshare:auto -XX:TieredStopAtLevel=1} (they are short-lived) and
 * only the environment the test gives them plus {@code PATH}: like a sandboxed app, they hold no
 * secret, only the {@code proxy-managed} placeholder.
 *
 * <p>A run whose output holds a {@value #CANNOT_INSTRUMENT} line fails, whatever the test asserts
 * next: a hook that did not apply on this JDK would otherwise hide behind the socket fence, which
 * still tunnels the client's connections.
 */
final class ChildJvm {
    /** What the agent prints when a hook found nothing or its class could not be woven. */
    static final String CANNOT_INSTRUMENT = "credproxy: cannot instrument";
    static final Path AGENT_JAR = Path.of(System.getProperty("credproxy.agent.jar", "../agent/target/credproxy-agent.jar"));
    private static final Path APP_CLASSPATH = Path.of(System.getProperty("credproxy.app.classpath", "target/app-classpath"));
    private static final Path APP_CLASSES = Path.of(System.getProperty("credproxy.app.classes", "target/classes"));
    private static final Path TEST_CLASSES = Path.of(System.getProperty("credproxy.app.test-classes", "target/test-classes"));

    /** The JDKs the agent is tested on: this one (17) and, when installed, Java 25. */
    enum Jdk {
        JAVA_17(System.getProperty("java.home")),
        JAVA_25(System.getProperty("credproxy.java25.home", ""));

        final String home;

        Jdk(String home) {
            this.home = home;
        }

        /** The java launcher; skips the test, saying why, when this JDK is not installed. */
        String java() {
            Path java = Path.of(home.isEmpty() ? "/nonexistent" : home, "bin", "java");
            Assumptions.assumeTrue(Files.isExecutable(java),
                    () -> name() + " is not installed at '" + home + "' (set credproxy.java25.home); skipping it");
            return java.toString();
        }
    }

    /** Which client jars are on the app's class path. */
    enum Libraries {
        /** OkHttp 4.12 and Apache HttpClient 5, as the demo apps are built. */
        STANDARD,
        /** OkHttp 5.x instead of 4.x. */
        OKHTTP5,
        /** Standard, plus an application's own (older, unrelocated) Byte Buddy. */
        OWN_BYTEBUDDY,
        /** Standard, plus gRPC-java (grpc-netty-shaded, grpc-stub and their dependencies). */
        GRPC,
        /** Netty with its epoll and io_uring transports, Reactor Netty, Vert.x and AsyncHttpClient, and nothing else. */
        NETTY,
        /** The same without io_uring, which Reactor Netty would prefer to epoll. */
        NETTY_EPOLL,
        /** Apache HttpClient 4, Jetty 12 and the AWS SDK v2 with its Apache, Netty (NIO) and URL-connection clients. */
        JVM_CLIENTS
    }

    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    private final Jdk jdk;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Libraries libraries = Libraries.STANDARD;
    private final List<String> classpathFirst = new ArrayList<>();
    private boolean instrumentationErrorsExpected;
    private List<String> launcher = List.of();

    ChildJvm(Jdk jdk) {
        this.jdk = jdk;
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    ChildJvm agent(String options) {
        jvmOptions.add("-javaagent:" + AGENT_JAR.toAbsolutePath() + (options.isEmpty() ? "" : "=" + options));
        return this;
    }

    ChildJvm option(String option) {
        jvmOptions.add(option);
        return this;
    }

    ChildJvm env(String name, String value) {
        env.put(name, value);
        return this;
    }

    ChildJvm libraries(Libraries set) {
        this.libraries = set;
        return this;
    }

    /** Puts {@code entry} before everything else on the class path (its classes shadow the libraries'). */
    ChildJvm classpathFirst(Path entry) {
        classpathFirst.add(entry.toString());
        return this;
    }

    /** For the test that makes a hook fail on purpose: its {@value #CANNOT_INSTRUMENT} line is expected. */
    ChildJvm expectingInstrumentationErrors() {
        instrumentationErrorsExpected = true;
        return this;
    }

    /** Runs the JVM through {@code prefix} ({@code setpriv --reuid=...}: as another user). */
    ChildJvm launcher(List<String> prefix) {
        this.launcher = List.copyOf(prefix);
        return this;
    }

    Result run(Class<?> mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(jdk.java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        Path out = Files.createTempFile("child-out", ".txt");
        Path err = Files.createTempFile("child-err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 90 s: " + command);
        }
        Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        if (!instrumentationErrorsExpected) {
            assertInstrumented(result.output(), jdk + " " + mainClass.getSimpleName());
        }
        return result;
    }

    /** Fails on any line in which the agent says it could not instrument something. */
    static void assertInstrumented(String output, String what) {
        for (String line : output.split("\n")) {
            if (line.contains(CANNOT_INSTRUMENT)) {
                throw new AssertionError(what + ": the agent could not instrument a client: " + line + "\n--- output:\n" + output);
            }
        }
    }

    private String classpath() throws IOException {
        List<String> entries = new ArrayList<>(classpathFirst);
        entries.addAll(List.of(APP_CLASSES.toString(), TEST_CLASSES.toString()));
        List<String> clients = List.of(Files.readString(APP_CLASSPATH.resolve("clients.txt")).trim().split(File.pathSeparator));
        if (libraries == Libraries.NETTY || libraries == Libraries.NETTY_EPOLL) {
            for (String jar : Files.readString(APP_CLASSPATH.resolve("netty.txt")).trim().split(File.pathSeparator)) {
                if (libraries == Libraries.NETTY || !jar.contains("io_uring")) {
                    entries.add(jar);
                }
            }
        } else if (libraries == Libraries.JVM_CLIENTS) {
            entries.addAll(List.of(Files.readString(APP_CLASSPATH.resolve("jvm-clients.txt")).trim().split(File.pathSeparator)));
        } else if (libraries == Libraries.OKHTTP5) {
            for (String jar : clients) {
                String name = Path.of(jar).getFileName().toString();
                if (!name.startsWith("okhttp") && !name.startsWith("okio") && !name.startsWith("kotlin")) {
                    entries.add(jar);
                }
            }
            entries.addAll(jars(APP_CLASSPATH.resolve("okhttp5")));
        } else {
            entries.addAll(clients);
        }
        if (libraries == Libraries.OWN_BYTEBUDDY) {
            entries.addAll(jars(APP_CLASSPATH.resolve("app-bytebuddy")));
        }
        if (libraries == Libraries.GRPC) {
            entries.addAll(List.of(Files.readString(APP_CLASSPATH.resolve("grpc.txt")).trim().split(File.pathSeparator)));
        }
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).map(Path::toString).sorted().toList();
        }
    }
}
