package io.credproxy.daemon.limits;

import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of partly received request heads held across every client connection, kept under
 * {@code limits.max_buffered_head_bytes}.
 *
 * <p>A head costs heap while it is incomplete (the codec keeps its header lines as strings), and
 * thousands of connections each holding a large unfinished head exhausted the heap. Each
 * {@link RequestHeadGuard} adds the bytes it lets through while its head is incomplete and gives
 * them back when the head is complete or the connection closes. When an addition takes the total
 * past the budget, the <em>oldest</em> partial heads are evicted (answered 503 and closed, on their
 * own event loops) until it fits again: a head that arrives in one piece passes, while connections
 * that have sat on a partial head longest (the slow ones) make room. Thread-safe: the guards of
 * every event loop share one budget under one short lock, taken only on reads of incomplete heads.
 */
public final class HeadBudget {
    private final long max;
    private final Limit evictionLimit;
    private final LimitMetrics metrics;
    /** Guards holding a partial head, in the order their heads began (oldest first), with their bytes. */
    private final LinkedHashMap<RequestHeadGuard, Long> holders = new LinkedHashMap<>();
    private long used;

    /** @param evictionLimit what an eviction counts as ({@link Limit#BUFFERED_HEADS} on the proxy port) */
    public HeadBudget(long max, Limit evictionLimit, LimitMetrics metrics) {
        if (max < 1) {
            throw new IllegalArgumentException("the head budget must be positive");
        }
        this.max = max;
        this.evictionLimit = evictionLimit;
        this.metrics = metrics;
    }

    /** Bytes of partial heads held now. */
    public synchronized long used() {
        return used;
    }

    public long max() {
        return max;
    }

    /** {@code guard}'s partial head grew by {@code n} bytes; evicts the oldest heads if the budget is spent. */
    void add(RequestHeadGuard guard, long n) {
        List<RequestHeadGuard> evicted = null;
        synchronized (this) {
            holders.merge(guard, n, Long::sum);
            used += n;
            if (used > max) {
                evicted = new ArrayList<>();
                for (Iterator<Map.Entry<RequestHeadGuard, Long>> it = holders.entrySet().iterator(); it.hasNext() && used > max; ) {
                    Map.Entry<RequestHeadGuard, Long> oldest = it.next();
                    it.remove();
                    used -= oldest.getValue();
                    evicted.add(oldest.getKey());
                }
            }
        }
        if (evicted != null) {
            for (RequestHeadGuard g : evicted) {
                metrics.rejected(evictionLimit);
                g.evict(); // outside the lock: it only schedules work on the guard's own loop
            }
        }
    }

    /** {@code guard}'s head is complete, or its connection is gone: its bytes are free again. */
    void release(RequestHeadGuard guard) {
        synchronized (this) {
            Long held = holders.remove(guard);
            if (held != null) {
                used -= held;
            }
        }
    }
}
