package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged daemon ({@code target/credproxy-daemon.jar}, built before failsafe runs) in a
 * child JVM, its stdout and stderr captured to files so tests can search every byte it printed.
 */
final class ChildDaemon implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Pattern STARTED = Pattern.compile("credproxy: proxy on [^ ]+:(\\d+), admin on [^ ]+:(\\d+)");

    record Run(int exitCode, String stdout, String stderr) {}

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final int proxyPort;
    private final int adminPort;

    private ChildDaemon(Process process, Path stdout, Path stderr, int proxyPort, int adminPort) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.proxyPort = proxyPort;
        this.adminPort = adminPort;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("credproxy.daemon.jar", "target/credproxy-daemon.jar"));
        assertThat(jar).as("the daemon jar (mvn package builds it before the ITs)").exists();
        return jar;
    }

    private static List<String> command(List<String> jvmOptions, List<String> args) {
        return command(List.of(), jvmOptions, args);
    }

    /** @param wrapper a command that runs the JVM (say {@code prlimit --nofile=N:N --}); empty for none */
    private static List<String> command(List<String> wrapper, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String hosts = System.getProperty("jdk.net.hosts.file");
        if (hosts != null) {
            command.add("-Djdk.net.hosts.file=" + hosts);
        }
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        return command;
    }

    /** Starts {@code credproxy daemon --config CONFIG} and waits until it reports its ports. */
    static ChildDaemon start(Path config, Path outDir, List<String> jvmOptions) throws Exception {
        return start(config, outDir, jvmOptions, List.of(), false);
    }

    /**
     * Starts {@code credproxy daemon --config CONFIG ARGS...}; with {@code journal}, as systemd starts a
     * service whose stderr is the journal: {@code JOURNAL_STREAM} names the stderr file's device and inode.
     */
    static ChildDaemon start(Path config, Path outDir, List<String> jvmOptions, List<String> args, boolean journal) throws Exception {
        return start(List.of(), config, outDir, jvmOptions, args, journal);
    }

    /**
     * Starts the daemon under {@code wrapper}, a command that runs the rest of its arguments (e.g.
     * {@code unshare --net ...}, which execs it in place, so {@link #pid()} is the daemon's).
     */
    static ChildDaemon start(List<String> wrapper, Path config, Path outDir, List<String> jvmOptions, List<String> args,
            boolean journal) throws Exception {
        int n = COUNTER.incrementAndGet();
        Path out = outDir.resolve("daemon-" + n + ".stdout");
        Path err = Files.writeString(outDir.resolve("daemon-" + n + ".stderr"), "");
        List<String> daemonArgs = new ArrayList<>(List.of("daemon", "--config", config.toString()));
        daemonArgs.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command(wrapper, jvmOptions, daemonArgs))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().remove("JOURNAL_STREAM");
        if (journal) {
            // The redirect opens this same file (same inode), as systemd hands a service its journal socket.
            builder.environment().put("JOURNAL_STREAM", Files.getAttribute(err, "unix:dev") + ":" + Files.getAttribute(err, "unix:ino"));
        }
        Process process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = STARTED.matcher(Files.readString(out, StandardCharsets.UTF_8));
            if (m.find()) {
                return new ChildDaemon(process, out, err, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("daemon exited with " + process.exitValue() + ": " + Files.readString(err));
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("daemon did not start: " + Files.readString(err));
    }

    /** Runs {@code credproxy ARGS} to completion. */
    static Run run(List<String> args) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command(List.of(), args)).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    int proxyPort() {
        return proxyPort;
    }

    int adminPort() {
        return adminPort;
    }

    /** GET on the admin port (direct, no proxy). */
    String fetch(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Stops the daemon the way systemd does (SIGTERM) and returns its exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM and returns at once. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit; its exit code, or -1 if it is still running after {@code timeout}. */
    int awaitExit(java.time.Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    Path stderrFile() {
        return stderr;
    }

    String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
