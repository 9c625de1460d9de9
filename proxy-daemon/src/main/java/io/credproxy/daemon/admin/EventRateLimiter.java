package io.credproxy.daemon.admin;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Token buckets for agent events: one per app ({@code limits.events_per_second}, holding up to
 * {@code limits.events_burst}) and one for all apps together, {@value #ALL_APPS_FACTOR} times as
 * large, so that posting under many invented names buys no more than a few apps' worth.
 *
 * <p>At most {@value #MAX_APPS} apps get buckets of their own; later names share one. Refilled from
 * a monotonic clock. Thread-safe (one lock; the events endpoint runs on one thread anyway).
 */
final class EventRateLimiter {
    static final int ALL_APPS_FACTOR = 8;
    static final int MAX_APPS = 1024;
    private static final String OVERFLOW = "(overflow)"; // no app name: those never hold parentheses

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanos;
    private final Map<String, Bucket> apps = new HashMap<>();
    private final Bucket all;

    EventRateLimiter(int perSecond, int burst, LongSupplier nanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanos = nanos;
        this.all = new Bucket(perSecond * (double) ALL_APPS_FACTOR, burst * (double) ALL_APPS_FACTOR, nanos.getAsLong());
    }

    EventRateLimiter(int perSecond, int burst) {
        this(perSecond, burst, System::nanoTime);
    }

    /** Takes up to {@code wanted} tokens for {@code app}; returns how many it got (the events that may be recorded). */
    synchronized int take(String app, int wanted) {
        long now = nanos.getAsLong();
        Bucket bucket = apps.get(app);
        if (bucket == null) {
            String key = apps.size() < MAX_APPS ? app : OVERFLOW;
            bucket = apps.computeIfAbsent(key, k -> new Bucket(perSecond, burst, now));
        }
        bucket.refill(now);
        all.refill(now);
        int granted = (int) Math.min(wanted, Math.min(Math.floor(bucket.tokens), Math.floor(all.tokens)));
        bucket.tokens -= granted;
        all.tokens -= granted;
        return Math.max(0, granted);
    }

    private static final class Bucket {
        private final double perNano;
        private final double capacity;
        private double tokens;
        private long last;

        Bucket(double perSecond, double capacity, long now) {
            this.perNano = perSecond / 1e9;
            this.capacity = capacity;
            this.tokens = capacity;
            this.last = now;
        }

        void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
        }
    }
}
