package io.credproxy.daemon.admin;

import io.credproxy.daemon.audit.RecordJson;
import io.credproxy.daemon.report.ReportAggregator;
import java.io.IOException;
import java.util.Objects;

/** {@code GET /report}: the live aggregates as JSON ({@code application/json}, the Report schema). */
public final class ReportEndpoint implements AdminEndpoint {
    private final ReportAggregator aggregator;
    private final RecordJson writer = RecordJson.reportFormat();

    public ReportEndpoint(ReportAggregator aggregator) {
        this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        try {
            return AdminResponse.of(200, AdminResponse.JSON, writer.toBytes(aggregator.snapshot()));
        } catch (IOException | RuntimeException e) {
            return AdminResponse.text(500, "cannot serialise the report\n");
        }
    }
}
