package io.credproxy.daemon.identity;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds which Unix user owns the client end of a loopback connection, from {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} (Java has no netlink {@code sock_diag}; these files are the same table).
 *
 * <p>Reading them costs time in proportion to every TCP socket of the machine's network namespace
 * (about 150 bytes a socket, formatted by the kernel as it is read), so it never runs on an event
 * loop: {@link #lookup} queues the connection and one thread of its own answers every connection
 * queued at that moment with one pass over the files, stopping as soon as all are found, and rests
 * as long as the pass took before the next while more are queued. Under a stream of new connections
 * the cost per connection falls with the batch size, and the thread uses at most half a core.
 *
 * <p>Fails closed: a peer that is not on loopback, a socket that is gone or not ESTABLISHED, a file
 * that cannot be read: all answer "unknown user", never somebody else's uid.
 */
public final class PeerUidResolver {
    private static final Logger LOG = LoggerFactory.getLogger(PeerUidResolver.class);
    public static final Path PROC_NET = Path.of("/proc/net");
    private static final long MAX_REST_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Path procNet;
    private final ThreadPoolExecutor executor;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean warned = new AtomicBoolean();
    /**
     * Where the last IPv4 peer's socket was: IPv4 sockets (curl, Python) are in {@code tcp}, a JVM's in
     * {@code tcp6}. A pass reads that file first, since a miss costs a whole file; machines tend to
     * run one kind of client. Only the order depends on it, never the answer.
     */
    private volatile ProcNetFile ipv4FoundIn = ProcNetFile.TCP;
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();

    private record Pending(ProcNetTcp.Query query, CompletableFuture<PeerUser> result) {}

    /** @param procNet the directory holding {@code tcp} and {@code tcp6} ({@link #PROC_NET}; another in tests) */
    public PeerUidResolver(Path procNet) {
        this.procNet = procNet;
        this.executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "credproxy-peer-uid");
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * The owner of the client socket of a connection the daemon accepted, answered off the caller's thread.
     *
     * @param peer the client's address (the accepted channel's remote address)
     * @param local the daemon's address of that connection (its local address)
     */
    public CompletableFuture<PeerUser> lookup(InetSocketAddress peer, InetSocketAddress local) {
        PeerUser refused = precheck(peer, local);
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        Pending pending = new Pending(new ProcNetTcp.Query(new SocketPair(peer, local)), new CompletableFuture<>());
        queue.add(pending);
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
        return pending.result();
    }

    /** As {@link #lookup}, on the calling thread (for callers already off the event loops). */
    public PeerUser lookupNow(InetSocketAddress peer, InetSocketAddress local) {
        PeerUser refused = precheck(peer, local);
        if (refused != null) {
            return refused;
        }
        ProcNetTcp.Query query = new ProcNetTcp.Query(new SocketPair(peer, local));
        String problem = scan(List.of(query));
        return answer(query, problem);
    }

    private static PeerUser precheck(InetSocketAddress peer, InetSocketAddress local) {
        if (peer == null || local == null || peer.getAddress() == null || local.getAddress() == null) {
            return PeerUser.unknown("no socket address");
        }
        if (!peer.getAddress().isLoopbackAddress()) {
            return PeerUser.unknown("not a loopback peer");
        }
        return null;
    }

    private void drain() {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            for (Pending p; (p = queue.poll()) != null; ) {
                batch.add(p);
            }
            if (batch.isEmpty()) {
                draining.set(false);
                // A lookup queued after the poll but before the flag dropped would wait forever.
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            passes.incrementAndGet();
            lookups.addAndGet(batch.size());
            List<ProcNetTcp.Query> queries = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                queries.add(p.query());
            }
            long started = System.nanoTime();
            String problem;
            try {
                problem = scan(queries);
            } catch (RuntimeException e) {
                problem = "lookup failed: " + e.getClass().getSimpleName();
            }
            for (Pending p : batch) {
                p.result().complete(answer(p.query(), problem));
            }
            // Under a stream of new connections, rest as long as the pass took before the next one: the
            // lookups arriving meanwhile share it, and this thread never takes more than half a core,
            // however large the socket table grows (the wait is at most one pass).
            if (!queue.isEmpty()) {
                LockSupport.parkNanos(Math.min(System.nanoTime() - started, MAX_REST_NANOS));
            }
        }
    }

    /** Lookups {@link #lookup} answered so far. */
    public long lookups() {
        return lookups.get();
    }

    /** Passes over the files that answered them: {@code lookups() / passes()} is the mean batch. */
    public long passes() {
        return passes.get();
    }

    private static PeerUser answer(ProcNetTcp.Query query, String problem) {
        if (query.answered()) {
            return PeerUser.of(query.uid);
        }
        return PeerUser.unknown(problem != null ? problem : "no ESTABLISHED socket for " + query.pair);
    }

    /** One pass over the files for every query; a problem reading them, or {@code null}. */
    private String scan(List<ProcNetTcp.Query> queries) {
        String problem = null;
        ProcNetFile first = ipv4FoundIn;
        for (ProcNetFile file : first == ProcNetFile.TCP ? List.of(ProcNetFile.TCP, ProcNetFile.TCP6)
                : List.of(ProcNetFile.TCP6, ProcNetFile.TCP)) {
            List<ProcNetTcp.Query> open = new ArrayList<>();
            for (ProcNetTcp.Query q : queries) {
                if (!q.answered() && q.pair.localField(file) != null) {
                    open.add(q);
                }
            }
            if (open.isEmpty()) {
                continue;
            }
            Path path = procNet.resolve(file.fileName);
            try (InputStream in = Files.newInputStream(path)) {
                ProcNetTcp.scan(in, file, open);
                for (ProcNetTcp.Query q : open) {
                    if (q.answered() && q.pair.isIpv4()) {
                        ipv4FoundIn = file;
                        break;
                    }
                }
            } catch (IOException e) {
                problem = "cannot read " + path + " (" + e.getClass().getSimpleName() + ")";
                if (warned.compareAndSet(false, true)) {
                    LOG.warn("peer identity: {}; connections whose socket is not found there are treated as an unknown user",
                            problem);
                }
            }
        }
        return problem;
    }
}
