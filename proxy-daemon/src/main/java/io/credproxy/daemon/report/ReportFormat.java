package io.credproxy.daemon.report;

import java.util.Locale;
import java.util.function.Supplier;

/** The output formats of {@code credproxy report --format}. */
public enum ReportFormat {
    TABLE(TableReportRenderer::new),
    JSON(JsonReportRenderer::new),
    HTML(HtmlReportRenderer::new);

    private final Supplier<ReportRenderer> renderer;

    ReportFormat(Supplier<ReportRenderer> renderer) {
        this.renderer = renderer;
    }

    public ReportRenderer renderer() {
        return renderer.get();
    }

    /** The name on the command line: {@code table}, {@code json}, {@code html}. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format for a command-line name, any case.
     *
     * @throws IllegalArgumentException naming the valid formats
     */
    public static ReportFormat parse(String name) {
        for (ReportFormat f : values()) {
            if (f.optionName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "' (use table, json or html)");
    }
}
