package io.credproxy.daemon.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingMethod;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound, installed once in this JVM, recording every blocking call made on an event loop
 * instead of throwing.
 *
 * <p>Which threads count is Netty's decision, not ours: netty-common's own integration
 * ({@code io.netty.util.internal.Hidden$NettyBlockHoundIntegration}, found through
 * {@link ServiceLoader}) marks every {@code FastThreadLocalThread} that does not
 * {@code permitBlockingCalls()} as non-blocking, which is every thread of a Netty event loop group
 * made with Netty's {@code DefaultThreadFactory} (the daemon's {@code credproxy-io-*},
 * {@code credproxy-accept-*}, {@code credproxy-admin-io-*}), and allows Netty's own short waits
 * (task queues, pooled-buffer locks, the TLS engine's delegated tasks).
 *
 * <p>Only Netty's integration is applied. BlockHound's bundled ones would hide exactly what this
 * check is for: its {@code LoggingIntegration} allows anything inside Logback's
 * {@code Logger.callAppenders} (a synchronous log line written to stderr, or to the journal's
 * socket, from an event loop) and its {@code StandardOutputIntegration} allows writes to
 * {@code System.out} and {@code System.err}.
 *
 * <p>Why record rather than throw (BlockHound's default): a {@code BlockingOperationError} thrown
 * inside a Netty handler only closes that connection, so a test would fail on a broken response,
 * far from the cause, or not at all when the failure path looks like an expected refusal.
 */
final class BlockingCallRecorder {
    /** Frames kept per violation, counted from the blocking method's caller. */
    private static final int FRAMES = 30;
    /** Violations kept; a loop that blocks on every request would otherwise fill the heap. */
    private static final int MAX_KEPT = 500;

    private static final ConcurrentLinkedQueue<Violation> VIOLATIONS = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger SEEN = new AtomicInteger();
    private static volatile boolean installed;

    /** One blocking call: the thread it ran on, the blocking JDK method and the frames that led to it. */
    record Violation(String thread, String method, List<String> frames) {
        String describe() {
            return method + " on " + thread + "\n        at " + String.join("\n        at ", frames);
        }
    }

    private BlockingCallRecorder() {}

    /**
     * Installs BlockHound with Netty's integration and the recording callback; later calls do nothing.
     *
     * @throws IllegalStateException when Netty's integration is not on the class path (nothing would
     *     count as an event loop and the check could never fail)
     */
    static synchronized void install() {
        if (installed) {
            return;
        }
        List<BlockHoundIntegration> netty = new ArrayList<>();
        for (ServiceLoader.Provider<BlockHoundIntegration> provider : ServiceLoader.load(BlockHoundIntegration.class).stream().toList()) {
            // io.netty only: gRPC's shaded copy of Netty (a test dependency) registers its own, for threads the daemon never has.
            if (provider.type().getName().startsWith("io.netty.")) {
                netty.add(provider.get());
            }
        }
        if (netty.isEmpty()) {
            throw new IllegalStateException("Netty's BlockHound integration was not found: no thread would count as an event loop");
        }
        BlockHound.Builder builder = BlockHound.builder();
        netty.forEach(builder::with);
        // A recording callback, set after Netty's integration so that nothing replaces it.
        builder.blockingMethodCallback(BlockingCallRecorder::record).install();
        installed = true;
    }

    private static void record(BlockingMethod method) {
        if (SEEN.incrementAndGet() > MAX_KEPT) {
            return;
        }
        StackTraceElement[] stack = new Throwable().getStackTrace();
        List<String> frames = new ArrayList<>();
        for (StackTraceElement frame : stack) {
            String cls = frame.getClassName();
            if (frames.isEmpty() && (cls.startsWith("reactor.blockhound.") || cls.equals(BlockingCallRecorder.class.getName()))) {
                continue; // BlockHound's and this class's own frames
            }
            frames.add(frame.toString());
            if (frames.size() == FRAMES) {
                break;
            }
        }
        VIOLATIONS.add(new Violation(Thread.currentThread().getName(), method.toString(), frames));
    }

    /**
     * The violations recorded since the last call, described (thread, method, frames), each distinct
     * method and stack once with how often it happened; clears them.
     */
    static List<String> drain() {
        // Thread names differ per loop (credproxy-io-3-1, -3-2): one entry per method and stack.
        Map<String, Violation> first = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Violation v; (v = VIOLATIONS.poll()) != null; ) {
            String key = v.method() + v.frames();
            first.putIfAbsent(key, v);
            counts.merge(key, 1, Integer::sum);
        }
        List<String> out = new ArrayList<>();
        first.forEach((key, v) -> out.add(counts.get(key) + "x " + v.describe()));
        int total = SEEN.getAndSet(0);
        if (total > MAX_KEPT) {
            out.add("(" + (total - MAX_KEPT) + " more not kept)");
        }
        return out;
    }
}
