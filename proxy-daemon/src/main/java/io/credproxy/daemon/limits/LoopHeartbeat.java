package io.credproxy.daemon.limits;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A task on every event loop of a group that notes the time each second: a loop whose note is
 * older than a few seconds is stalled (blocked in a handler, or starved), and cannot serve the
 * connections it owns, whatever the listening socket says.
 */
public final class LoopHeartbeat implements AutoCloseable {
    static final long PERIOD_MILLIS = 1_000;

    private final AtomicLongArray lastBeat;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    public LoopHeartbeat(EventLoopGroup group) {
        this(group, PERIOD_MILLIS);
    }

    LoopHeartbeat(EventLoopGroup group, long periodMillis) {
        List<EventExecutor> loops = new ArrayList<>();
        group.forEach(loops::add);
        lastBeat = new AtomicLongArray(loops.size());
        long now = System.nanoTime();
        for (int i = 0; i < loops.size(); i++) {
            int index = i;
            lastBeat.set(i, now);
            tasks.add(loops.get(i).scheduleAtFixedRate(() -> lastBeat.set(index, System.nanoTime()),
                    0, periodMillis, TimeUnit.MILLISECONDS));
        }
    }

    /** How many loops have not beaten for {@code millis}. */
    public int stalled(long millis) {
        long now = System.nanoTime();
        long limit = TimeUnit.MILLISECONDS.toNanos(millis);
        int stalled = 0;
        for (int i = 0; i < lastBeat.length(); i++) {
            if (now - lastBeat.get(i) > limit) {
                stalled++;
            }
        }
        return stalled;
    }

    @Override
    public void close() {
        tasks.forEach(t -> t.cancel(false));
    }
}
