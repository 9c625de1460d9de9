package io.credproxy.daemon.server;

import io.credproxy.daemon.egress.HostLiteral;
import io.credproxy.daemon.egress.InvalidHostException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves upstream host names with the JDK resolver, off the event loops.
 *
 * <p>{@link InetAddress#getByName} blocks (for seconds when a DNS server does not answer), and a
 * blocked event loop stalls every connection on it; so lookups run on a few threads of their own,
 * behind a bounded queue, and complete a promise on the caller's loop. The JDK's address cache and
 * {@code /etc/hosts} apply as usual.
 *
 * <p>A host is read as {@link HostLiteral} reads it, the way the egress policy judged it: an IP
 * literal in any spelling ({@code 0177.0.0.1}, {@code 2130706433}, {@code 0x7f.1}) is answered at
 * once with the address it means, never handed to a resolver (the JDK reads {@code 0177.0.0.1}
 * as 177.0.0.1, glibc as 127.0.0.1: the address dialled must be the one judged); a name is looked
 * up in its canonical ASCII form; an invalid host fails as unknown.
 */
final class HostResolver implements AutoCloseable {
    /** Lookups waiting for a thread; beyond this a new one fails at once rather than queueing without bound. */
    static final int MAX_QUEUED = 1024;

    private final ExecutorService executor;

    HostResolver(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAX_QUEUED), r -> {
            Thread t = new Thread(r, "credproxy-dns-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
    }

    Future<InetAddress> resolve(String text, EventLoop loop) {
        HostLiteral parsed;
        try {
            parsed = HostLiteral.parse(text);
        } catch (InvalidHostException e) {
            return loop.newFailedFuture(new UnknownHostException("invalid host"));
        }
        if (parsed instanceof HostLiteral.Address literal) {
            return loop.newSucceededFuture(literal.address());
        }
        String host = parsed.canonical();
        Promise<InetAddress> promise = loop.newPromise();
        try {
            executor.execute(() -> {
                try {
                    promise.trySuccess(InetAddress.getByName(host));
                } catch (UnknownHostException e) {
                    promise.tryFailure(e);
                } catch (RuntimeException e) {
                    promise.tryFailure(new UnknownHostException(host));
                }
            });
        } catch (RejectedExecutionException e) {
            promise.tryFailure(new UnknownHostException(host));
        }
        return promise;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
