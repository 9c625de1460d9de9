package io.credproxy.protocol.report;

import java.util.List;

/**
 * Requests over time, in buckets of equal width.
 *
 * <p>Producers keep a bounded number of buckets and widen them (doubling) as the covered time
 * grows, so the width depends on the time range.
 *
 * @param bucketMillis the width of every bucket, milliseconds (0 when there are no buckets)
 * @param buckets the non-empty buckets, oldest first
 */
public record Timeline(long bucketMillis, List<TimelineBucket> buckets) {
    public static final Timeline EMPTY = new Timeline(0, List.of());

    public Timeline {
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
    }
}
