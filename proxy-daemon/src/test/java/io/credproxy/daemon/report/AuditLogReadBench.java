package io.credproxy.daemon.report;

import io.credproxy.protocol.report.Report;
import java.nio.file.Path;
import java.time.Clock;

/** Times reading an audit log into the aggregator: {@code AuditLogReadBench FILE}. Not a test. */
public final class AuditLogReadBench {
    public static void main(String[] args) throws Exception {
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            long c0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            ReportAggregator agg = new ReportAggregator(ReportLimits.defaults(), Clock.systemUTC(), Report.SOURCE_AUDIT_LOG);
            AuditLogReader.Stats stats = new AuditLogReader().read(AuditLogReader.files(Path.of(args[0])), agg, agg);
            Report r = agg.snapshot();
            long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - c0;
            System.out.printf("%s requests=%d in %d ms (main thread cpu %d ms)%n", stats, r.requests(),
                    (System.nanoTime() - t0) / 1_000_000, cpu / 1_000_000);
        }
    }
}
