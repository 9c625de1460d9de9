package io.credproxy.daemon.policy;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the policy in force; a reload swaps it whole.
 *
 * <p>Connections read {@link #current()} when they decide, so requests in flight finish with the
 * values they started with.
 *
 * <p>It also keeps how the policy in force got there, for {@code /readyz} and the metrics: when it
 * was loaded, how many reloads were refused, and whether the latest attempt was refused (then the
 * files on disk say something other than the rules in force, until a reload succeeds).
 */
public final class PolicyHolder {
    private final AtomicReference<Policy> current;
    private volatile Instant loadedAt = Instant.now();
    private final AtomicLong reloadFailures = new AtomicLong();
    private volatile boolean lastReloadFailed;

    public PolicyHolder(Policy initial) {
        this.current = new AtomicReference<>(initial);
    }

    public Policy current() {
        return current.get();
    }

    /** Puts {@code next} in force: a successful load. */
    public void swap(Policy next) {
        current.set(next);
        loadedAt = Instant.now();
        lastReloadFailed = false;
    }

    /** Records a refused reload: the policy in force stays. */
    public void reloadFailed() {
        reloadFailures.incrementAndGet();
        lastReloadFailed = true;
    }

    /** When the policy in force was loaded: at start, or by the last successful reload. */
    public Instant loadedAt() {
        return loadedAt;
    }

    /** Reloads refused since the start. */
    public long reloadFailures() {
        return reloadFailures.get();
    }

    /** Whether the latest reload was refused (a later successful one clears it). */
    public boolean lastReloadFailed() {
        return lastReloadFailed;
    }
}
