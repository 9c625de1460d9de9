package io.credproxy.daemon.report;

import io.credproxy.protocol.report.Report;
import java.io.IOException;
import java.io.Writer;

/** Writes a {@link Report} in one output format. */
public interface ReportRenderer {
    /**
     * Writes the report to {@code out} (not closed).
     *
     * @param color whether ANSI colours may be used (a terminal); ignored by formats without them
     */
    void render(Report report, Writer out, boolean color) throws IOException;
}
