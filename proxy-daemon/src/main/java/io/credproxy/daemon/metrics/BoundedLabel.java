package io.credproxy.daemon.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admits at most a fixed number of distinct values for one metric label; later values become
 * {@value #OTHER}.
 *
 * <p>Each distinct label value is a time series kept forever by the registry and by Prometheus, and
 * host names and app names come from clients: without a cap, one scanner would grow the daemon's
 * memory and the scrape without limit. First come, first kept.
 */
final class BoundedLabel {
    static final String OTHER = "other";
    static final String NONE = "none";

    private final int max;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    BoundedLabel(int max) {
        this.max = max;
    }

    /** The value itself when admitted (or room is left), else {@value #OTHER}. */
    String of(String value) {
        if (value == null || value.isEmpty()) {
            return NONE;
        }
        if (admitted.contains(value)) {
            return value;
        }
        synchronized (this) {
            if (admitted.size() < max) {
                admitted.add(value);
                return value;
            }
            return admitted.contains(value) ? value : OTHER;
        }
    }
}
