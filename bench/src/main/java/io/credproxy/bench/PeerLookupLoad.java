package io.credproxy.bench;

import io.credproxy.daemon.identity.PeerUidResolver;
import io.credproxy.daemon.identity.PeerUser;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What identifying peers costs: the daemon's {@link PeerUidResolver} reading {@code /proc/net/tcp*}
 * with N loopback connections open, accepted here and opened by a child JVM (as a daemon and its JVM
 * clients have them: 2N lines in {@code tcp6}), at a steady rate of new connections.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.credproxy.bench.PeerLookupLoad [rate/s] [seconds] [N...]
 * </pre>
 * For each N: the CPU time of one lookup on the calling thread ({@code lookupNow}, a pass that stops
 * where the socket is found), then {@code rate} lookups a second for {@code seconds} through the
 * batching {@code lookup} (each a random open connection), reporting the resolver thread's CPU time per
 * second and per lookup, the latency from request to answer (wall time: it grows with the machine's
 * load), and how many lookups one pass answered. CPU times include the kernel's (thread CPU clock).
 */
public final class PeerLookupLoad {
    private PeerLookupLoad() {}

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100, 1000, 10_000);
        }
        System.out.printf(Locale.ROOT, "| open connections | lines in tcp + tcp6 (all processes') | one lookup alone: CPU ms mean / p99 "
                + "| at %d lookups/s: resolver CPU ms per s | CPU us per lookup | latency p50 / p99 ms | lookups per pass |%n", rate);
        System.out.println("|---|---|---|---|---|---|---|");
        for (int n : sizes) {
            run(n, rate, seconds);
        }
    }

    private static void run(int n, int rate, int seconds) throws Exception {
        PeerUidResolver resolver = new PeerUidResolver(PeerUidResolver.PROC_NET);
        List<Socket> sockets = new ArrayList<>(n);
        Process clients = null;
        try (ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress())) {
            // The clients live in a JVM of their own: one process may not hold 2 x 10,000 descriptors here.
            clients = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                    "-cp", System.getProperty("java.class.path"), Clients.class.getName(), Integer.toString(server.getLocalPort()),
                    Integer.toString(n)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<Socket> accepted = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Socket a = server.accept();
                sockets.add(a);
                accepted.add(a);
            }
            // One lookup on this thread, many times: the cost of a pass that stops where the socket is.
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long tableLines = lines("/proc/net/tcp") + lines("/proc/net/tcp6");
            double[] single = new double[Math.min(200, 20 * 1000 / Math.max(1, n / 100))];
            for (int i = -single.length; i < single.length; i++) { // the first half warms the JIT up
                Socket a = accepted.get(ThreadLocalRandom.current().nextInt(n));
                long t0 = threads.getCurrentThreadCpuTime();
                PeerUser user = resolver.lookupNow((InetSocketAddress) a.getRemoteSocketAddress(), (InetSocketAddress) a.getLocalSocketAddress());
                if (i >= 0) {
                    single[i] = (threads.getCurrentThreadCpuTime() - t0) / 1e6;
                }
                if (!user.known()) {
                    throw new IllegalStateException("lookup failed: " + user);
                }
            }
            // Steady rate through the batching resolver.
            resolver.lookup((InetSocketAddress) accepted.get(0).getRemoteSocketAddress(),
                    (InetSocketAddress) accepted.get(0).getLocalSocketAddress()).get(10, TimeUnit.SECONDS); // start its thread
            long resolverThread = resolverThreadId();
            long cpu0 = threads.getThreadCpuTime(resolverThread);
            int total = rate * seconds;
            List<CompletableFuture<PeerUser>> answers = new ArrayList<>(total);
            long[] submitted = new long[total];
            long[] answered = new long[total];
            long start = System.nanoTime();
            long period = 1_000_000_000L / rate;
            for (int i = 0; i < total; i++) {
                long due = start + i * period;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                Socket a = accepted.get(ThreadLocalRandom.current().nextInt(n));
                int k = i;
                submitted[i] = System.nanoTime();
                answers.add(resolver.lookup((InetSocketAddress) a.getRemoteSocketAddress(), (InetSocketAddress) a.getLocalSocketAddress())
                        .whenComplete((u, e) -> answered[k] = System.nanoTime()));
            }
            for (CompletableFuture<PeerUser> f : answers) {
                if (!f.get(30, TimeUnit.SECONDS).known()) {
                    throw new IllegalStateException("a lookup failed");
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            double cpuMs = (threads.getThreadCpuTime(resolverThread) - cpu0) / 1e6;
            double[] latency = new double[total];
            for (int i = 0; i < total; i++) {
                latency[i] = (answered[i] - submitted[i]) / 1e6;
            }
            Arrays.sort(latency);
            Arrays.sort(single);
            System.out.printf(Locale.ROOT, "| %,d | %,d | %.3f / %.3f | %.1f | %.1f | %.2f / %.2f | %.1f |%n", n, tableLines,
                    Arrays.stream(single).average().orElse(0), single[(int) (single.length * 0.99)], cpuMs / elapsed,
                    cpuMs * 1000 / total, latency[total / 2], latency[(int) (total * 0.99)], resolver.lookups() / (double) resolver.passes());
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            if (clients != null) {
                clients.destroy();
                clients.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The child JVM: opens N connections to the port and holds them until it is stopped. */
    public static final class Clients {
        private Clients() {}

        public static void main(String[] args) throws Exception {
            int port = Integer.parseInt(args[0]);
            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                held.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static long lines(String file) throws java.io.IOException {
        try (var lines = java.nio.file.Files.lines(Path.of(file))) {
            return lines.count() - 1;
        }
    }

    /** The newest resolver thread (an earlier size's resolver may still have its idle one). */
    private static long resolverThreadId() {
        long id = -1;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("credproxy-peer-uid")) {
                id = Math.max(id, t.getId());
            }
        }
        if (id < 0) {
            throw new IllegalStateException("no resolver thread");
        }
        return id;
    }
}
