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
    /** The label of agent events whose app has no label of its own yet (see {@link #admittedOr}). */
    static final String EVENTS_ONLY = "events-only";

    private final int max;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    BoundedLabel(int max) {
        this.max = max;
    }

    /**
     * The value itself if it was admitted already, else {@code fallback}; never admits it. For values
     * anyone can send (the app of a posted agent event), which must not take the places of values
     * seen in traffic.
     */
    String admittedOr(String value, String fallback) {
        return value != null && admitted.contains(value) ? value : fallback;
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
