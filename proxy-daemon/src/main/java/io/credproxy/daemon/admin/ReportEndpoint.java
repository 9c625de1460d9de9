package io.credproxy.daemon.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.credproxy.daemon.report.ReportAggregator;
import io.credproxy.daemon.report.ReportJson;
import java.util.Objects;

/** {@code GET /report}: the live aggregates as JSON ({@code application/json}, the Report schema). */
public final class ReportEndpoint implements Endpoint {
    private final ReportAggregator aggregator;
    private final ObjectWriter writer = ReportJson.newMapper().writer();

    public ReportEndpoint(ReportAggregator aggregator) {
        this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
    }

    @Override
    public EndpointResponse handle(EndpointRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return EndpointResponse.methodNotAllowed("GET");
        }
        try {
            return EndpointResponse.json(200, writer.writeValueAsBytes(aggregator.snapshot()));
        } catch (JsonProcessingException e) {
            return EndpointResponse.text(500, "cannot serialise the report");
        }
    }
}
