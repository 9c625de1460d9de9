package io.credproxy.daemon.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meter of each label set, built and registered on its first use and then reused.
 *
 * <p>{@code Counter.builder(...).register(registry)} on every request finds the same meter again,
 * but only after building a new id, a sorted tag list and a registry look-up each time (about 1 KB
 * per request, {@code MetricsBenchmark}); here a label set seen before costs one map look-up. The
 * keys are capped labels ({@link BoundedLabel}) or fixed sets, so the map holds no more entries than
 * the registry holds series.
 *
 * @param <K> the label set, a record with {@code equals}/{@code hashCode}
 * @param <M> the meter
 */
final class MeterCache<K, M> {
    private final Map<K, M> meters = new ConcurrentHashMap<>();
    private final Function<K, M> register;

    /** @param register builds and registers the meter of a label set; called once per label set */
    MeterCache(Function<K, M> register) {
        this.register = register;
    }

    M get(K labels) {
        M meter = meters.get(labels); // a hit takes no lock; computeIfAbsent may lock the bin even when the key is there
        return meter != null ? meter : meters.computeIfAbsent(labels, register);
    }
}
