package io.credproxy.daemon.report;

import io.credproxy.protocol.report.Timeline;
import io.credproxy.protocol.report.TimelineBucket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts requests per app in time buckets, never more than a fixed number of buckets.
 *
 * <p>Buckets start one second wide and are aligned on multiples of their width since the epoch;
 * when the events span more buckets than allowed, the width doubles and neighbouring buckets merge.
 * So memory stays bounded whatever the time range, events may arrive in any order, and a chart
 * always has a usable resolution. Thread-safe.
 */
final class TimelineAggregate {
    private static final long BASE_MILLIS = 1_000;

    private final int maxBuckets;
    private final TreeMap<Long, Map<String, Long>> buckets = new TreeMap<>();
    private long widthMillis = BASE_MILLIS;

    TimelineAggregate(int maxBuckets) {
        this.maxBuckets = maxBuckets;
    }

    synchronized void add(long timeMillis, String app) {
        long index = Math.floorDiv(timeMillis, widthMillis);
        buckets.computeIfAbsent(index, k -> new HashMap<>(4)).merge(app, 1L, Long::sum);
        while (buckets.lastKey() - buckets.firstKey() >= maxBuckets) {
            widen();
        }
    }

    private void widen() {
        TreeMap<Long, Map<String, Long>> merged = new TreeMap<>();
        for (Map.Entry<Long, Map<String, Long>> e : buckets.entrySet()) {
            Map<String, Long> into = merged.computeIfAbsent(Math.floorDiv(e.getKey(), 2L), k -> new HashMap<>(4));
            e.getValue().forEach((app, n) -> into.merge(app, n, Long::sum));
        }
        buckets.clear();
        buckets.putAll(merged);
        widthMillis *= 2;
    }

    synchronized Timeline snapshot() {
        if (buckets.isEmpty()) {
            return Timeline.EMPTY;
        }
        List<TimelineBucket> out = new ArrayList<>(buckets.size());
        buckets.forEach((index, counts) -> out.add(new TimelineBucket(index * widthMillis, counts)));
        return new Timeline(widthMillis, out);
    }
}
