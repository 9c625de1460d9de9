package io.credproxy.agent.stress;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The agent starts cleanly every time: {@value #STARTS} JVM starts in a row with the default options
 * (the CA and the events on a live admin port, as deployed), two at a time, while a busy thread per
 * core keeps the CPU saturated so that the agent's threads are scheduled at their worst. Not one may
 * exit non-zero or print a {@code credproxy:} line. Every other start opens one socket (to the admin
 * stand-in, exempt), so that it also weaves the socket fence as its classes load.
 *
 * <p>Guards against the start-up race in which the CA fetch loaded socket classes while the
 * transformer was being installed, so that the fence was found unwoven and about one start in 200
 * exited 2 ("could not instrument sun.nio.ch.NioSocketImpl.connect"). Run with
 * {@code -Dcredproxy.agent.jar=} an agent built before the fix to see it fail. The starts alternate
 * between the JDK running the build and Java 25 ({@code credproxy.java25.home}) when it is installed.
 * In the {@code startup-stress} profile, which CI runs.
 */
class AgentStartupStressIT {
    static final int STARTS = Integer.getInteger("credproxy.stress.starts", 1000);
    private static final int IN_PARALLEL = 2;
    private static final Path AGENT_JAR = Path.of(System.getProperty("credproxy.agent.jar", "target/credproxy-agent.jar"));
    /** Only the directory holding the main class: the application's class path as small as it gets. */
    private static final String TEST_CLASSES = Path.of("target", "test-classes").toAbsolutePath().toString();

    @Test
    void everyStartUnderLoadSucceeds() throws Exception {
        assertThat(AGENT_JAR).as("the shaded agent (mvn package)").isRegularFile();
        List<String> javas = javas();
        HttpServer admin = adminStandIn();
        AtomicBoolean loading = new AtomicBoolean(true);
        List<Thread> load = cpuLoad(loading);
        ExecutorService starts = Executors.newFixedThreadPool(IN_PARALLEL);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger slowest = new AtomicInteger();
        long began = System.nanoTime();
        try (ServerSocket closedProxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String adminPort = String.valueOf(admin.getAddress().getPort());
            String options = "proxy=127.0.0.1:" + closedProxy.getLocalPort() + ",admin=127.0.0.1:" + adminPort + ",app=stress";
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < STARTS; i++) {
                String java = javas.get(i % javas.size());
                String connectTo = i / 2 % 2 == 0 ? adminPort : null;
                int run = i;
                runs.add(starts.submit(() -> {
                    String failure = start(java, options, connectTo, slowest);
                    if (failure != null) {
                        failures.add("start " + run + " on " + java + ": " + failure);
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            starts.shutdownNow();
            loading.set(false);
            for (Thread thread : load) {
                thread.join();
            }
            admin.stop(0);
        }
        System.out.printf("agent start-up stress: %d starts on %s under %d busy threads, %d failed, %.0f s, slowest %d ms%n",
                STARTS, javas, load.size(), failures.size(), (System.nanoTime() - began) / 1e9, slowest.get());
        assertThat(failures).as("starts that failed").isEmpty();
    }

    /** One JVM start with the agent, connecting to {@code connectTo} when not {@code null}; what went wrong, or {@code null}. */
    private static String start(String java, String options, String connectTo, AtomicInteger slowest)
            throws IOException, InterruptedException {
        // What the JVM does besides the agent kept small (C1 only, as the other agent ITs run their child
        // JVMs; the serial collector; no perf data file): the race is in the agent, and 1,000 starts must fit CI.
        List<String> command = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-XX:-UsePerfData", "-javaagent:" + AGENT_JAR.toAbsolutePath() + "=" + options, "-cp", TEST_CLASSES,
                StartupStressMain.class.getName()));
        if (connectTo != null) {
            command.add(connectTo);
        }
        Path output = Files.createTempFile("stress", ".txt");
        try {
            long began = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "did not finish in 60 s";
            }
            slowest.accumulateAndGet((int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), Math::max);
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0 || !printed.contains("started") || printed.contains("credproxy:")) {
                return "exit " + process.exitValue() + ": " + printed.strip();
            }
            return null;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The JDK running the build, and Java 25 when installed. */
    private static List<String> javas() {
        List<String> javas = new ArrayList<>();
        javas.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path java25 = Path.of(System.getProperty("credproxy.java25.home", "/nonexistent"), "bin", "java");
        if (Files.isExecutable(java25)) {
            javas.add(java25.toString());
        }
        return javas;
    }

    /** The daemon's admin port as the agent uses it: {@code GET /ca.pem} and {@code POST /events}. */
    private static HttpServer adminStandIn() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        byte[] der = new byte[200];
        der[0] = 0x30; // a DER sequence: what the agent checks before a TLS handshake needs the certificate
        byte[] pem = ("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
        server.createContext("/ca.pem", exchange -> answer(exchange, 200, pem));
        server.createContext("/events", exchange -> {
            exchange.getRequestBody().readAllBytes();
            answer(exchange, 202, "{\"accepted\":0}".getBytes(StandardCharsets.US_ASCII));
        });
        server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "admin-stand-in");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return server;
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** A busy thread per core, until {@code running} turns false. */
    private static List<Thread> cpuLoad(AtomicBoolean running) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread thread = new Thread(() -> {
                long x = 0;
                while (running.get()) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                }
                if (x == 42) {
                    System.out.print(""); // keeps the loop from being optimised away
                }
            }, "cpu-load-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        return threads;
    }
}
