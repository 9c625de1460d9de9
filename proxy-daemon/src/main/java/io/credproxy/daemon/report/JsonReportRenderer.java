package io.credproxy.daemon.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.protocol.report.Report;
import java.io.IOException;
import java.io.Writer;

/** The report as indented JSON: exactly the {@code GET /report} schema. */
final class JsonReportRenderer implements ReportRenderer {
    @Override
    public void render(Report report, Writer out, boolean color) throws IOException {
        AuditJson.newMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValue(out, report);
        out.write('\n');
    }
}
