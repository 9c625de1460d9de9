package io.credproxy.daemon.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.daemon.report.ReportAggregator;
import java.util.Objects;

/** {@code GET /report}: the live aggregates as JSON ({@code application/json}, the Report schema). */
public final class ReportEndpoint implements AdminEndpoint {
    private final ReportAggregator aggregator;
    private final ObjectWriter writer = AuditJson.newMapper().writer();

    public ReportEndpoint(ReportAggregator aggregator) {
        this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        try {
            return AdminResponse.of(200, AdminResponse.JSON, writer.writeValueAsBytes(aggregator.snapshot()));
        } catch (JsonProcessingException e) {
            return AdminResponse.text(500, "cannot serialise the report\n");
        }
    }
}
