package io.credproxy.daemon.server;

import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;
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
 * blocked event loop stalls every connection on it; so lookups run on a few threads of their own
 * and complete a promise on the caller's loop. IP literals are answered at once. The JDK's
 * address cache and {@code /etc/hosts} apply as usual.
 */
final class HostResolver implements AutoCloseable {
    private final ExecutorService executor;

    HostResolver(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "credproxy-dns-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
    }

    Future<InetAddress> resolve(String host, EventLoop loop) {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal != null) {
            try {
                return loop.newSucceededFuture(InetAddress.getByAddress(literal));
            } catch (UnknownHostException e) {
                return loop.newFailedFuture(e);
            }
        }
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
