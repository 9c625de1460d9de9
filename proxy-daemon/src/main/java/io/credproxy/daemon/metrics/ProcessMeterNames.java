package io.credproxy.daemon.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Gives Micrometer's descriptor meters the names Prometheus' own process collector uses.
 *
 * <p>{@code FileDescriptorMetrics} exports {@code process_files_open_files} and
 * {@code process_files_max_files}; the usual alert on descriptor exhaustion, and the dashboards
 * built for any Prometheus client, read {@code process_open_fds} and {@code process_max_fds}.
 * Renaming keeps Micrometer reading the numbers (from {@code UnixOperatingSystemMXBean}).
 */
final class ProcessMeterNames {
    static final MeterFilter PROMETHEUS_DESCRIPTOR_NAMES = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            return switch (id.getName()) {
                case "process.files.open" -> id.withName("process.open.fds").withBaseUnit(null);
                case "process.files.max" -> id.withName("process.max.fds").withBaseUnit(null);
                default -> id;
            };
        }
    };

    private ProcessMeterNames() {}
}
