package io.credproxy.protocol.report;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Helpers for the name-to-count maps in reports. */
final class Counts {
    private Counts() {}

    /**
     * An unmodifiable copy sorted by key, so that JSON output and tables are stable from one run to
     * the next ({@code Map.copyOf} would not keep any order).
     */
    static Map<String, Long> sorted(Map<String, Long> counts) {
        if (counts == null || counts.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new TreeMap<>(counts));
    }
}
