package io.credproxy.daemon.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Hands an event loop the server {@link SslContext} for an intercepted host without minting on it.
 *
 * <p>A miss costs a P-256 key, a signature and a BoringSSL context: about 2 ms, tens of ms on a busy
 * machine. On an event loop that stalls every other connection of the loop, and a workload that
 * CONNECTs to one new ruled host after another would make it do so at will. So:
 * <ul>
 *   <li>a cached leaf is answered at once, on the caller's thread ({@link ServerSslContexts#cached});
 *   <li>a miss is minted on one daemon thread, {@value #THREAD_NAME}, and the caller's promise is
 *       completed on the caller's loop, where Netty's {@code SniHandler} resumes the handshake;
 *   <li>concurrent misses for one host share one mint (a hundred connections to a new host mint once);
 *   <li>at most {@link #MAX_WAITING} mints wait; a miss beyond that fails at once, so a flood of new
 *       hosts holds neither memory nor the hosts already cached, which are answered as before.
 * </ul>
 * A failed or refused mint fails only the handshakes that waited for it ({@link LeafUnavailableException})
 * and caches nothing: the next connection to the host mints again.
 */
public final class LeafMinter implements AutoCloseable {
    static final String THREAD_NAME = "credproxy-leaf-mint";
    /**
     * Mints waiting for the thread. One mint takes about 2 ms, so 64 are some 130 ms of backlog: a
     * burst of new hosts at start-up (a client fanning out to a few dozen APIs) fits; a flood of
     * invented names is refused within that, rather than queueing seconds of work and memory behind it.
     */
    public static final int MAX_WAITING = 64;

    private final ServerSslContexts contexts;
    private final Runnable onRefused;
    private final int maxWaiting;
    private final ThreadPoolExecutor executor;
    private final ConcurrentHashMap<String, CompletableFuture<SslContext>> inFlight = new ConcurrentHashMap<>();

    /** @param onRefused counts a miss refused because {@link #MAX_WAITING} mints were waiting (a limit metric) */
    public LeafMinter(ServerSslContexts contexts, Runnable onRefused) {
        this(contexts, onRefused, MAX_WAITING);
    }

    LeafMinter(ServerSslContexts contexts, Runnable onRefused, int maxWaiting) {
        this.contexts = contexts;
        this.onRefused = onRefused;
        this.maxWaiting = maxWaiting;
        // The thread ends after 30 s without work; a daemon thread, so it never holds the JVM up.
        this.executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(maxWaiting), r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * The context for {@code host}: already succeeded when cached, else completed on {@code loop} once
     * minted, or failed with {@link LeafUnavailableException}.
     */
    public Future<SslContext> contextFor(String host, EventExecutor loop) {
        SslContext cached = contexts.cached(host);
        if (cached != null) {
            return loop.newSucceededFuture(cached);
        }
        Promise<SslContext> promise = loop.newPromise();
        shared(host).whenComplete((context, failure) -> completeOn(loop, promise, context, failure));
        return promise;
    }

    /** The mint in flight for {@code host}, started now if there is none. */
    private CompletableFuture<SslContext> shared(String host) {
        CompletableFuture<SslContext> mine = new CompletableFuture<>();
        CompletableFuture<SslContext> running = inFlight.putIfAbsent(host, mine);
        if (running != null) {
            return running;
        }
        try {
            executor.execute(() -> mint(host, mine));
        } catch (RejectedExecutionException e) {
            inFlight.remove(host, mine);
            boolean stopping = executor.isShutdown();
            if (!stopping) {
                onRefused.run();
            }
            String why = stopping ? "the daemon is stopping" : maxWaiting + " new hosts already waiting for one";
            mine.completeExceptionally(new LeafUnavailableException("no leaf certificate for " + host + ": " + why, null));
        }
        return mine;
    }

    private void mint(String host, CompletableFuture<SslContext> result) {
        SslContext context = null;
        Throwable failure = null;
        try {
            // forHost answers from the cache when a mint that ended just before this one was for the host.
            context = contexts.forHost(host);
        } catch (Throwable t) { // an Error too: it must fail the waiting handshakes, not leave them hanging
            failure = new LeafUnavailableException("no leaf certificate for " + host + ": minting failed ("
                    + t.getClass().getSimpleName() + ")", t);
        }
        // Out of the map before completing: a connection arriving now finds the cache, or mints anew after a failure.
        inFlight.remove(host, result);
        if (failure == null) {
            result.complete(context);
        } else {
            result.completeExceptionally(failure);
        }
    }

    private static void completeOn(EventExecutor loop, Promise<SslContext> promise, SslContext context, Throwable failure) {
        Runnable complete = () -> {
            if (failure == null) {
                promise.trySuccess(context);
            } else {
                promise.tryFailure(failure);
            }
        };
        if (loop.inEventLoop()) {
            complete.run();
            return;
        }
        try {
            loop.execute(complete);
        } catch (RejectedExecutionException e) {
            // The loop is shutting down and its channels with it: nobody is left to hand the context to.
        }
    }

    /** Mints handed to the thread since the start, refused ones not counted (tests). */
    long mintTasks() {
        return executor.getTaskCount();
    }

    /** Stops the thread; a mint in progress finishes, queued ones are dropped with the closing connections. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
