package io.credproxy.daemon.report;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table whose columns are padded to their widest cell; numbers right-aligned. */
final class TextTable {
    private final String[] headers;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    /** @param headers column titles; a title starting with {@code >} is right-aligned (the marker is dropped) */
    TextTable(String... headers) {
        this.headers = new String[headers.length];
        this.rightAligned = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            rightAligned[i] = headers[i].startsWith(">");
            this.headers[i] = rightAligned[i] ? headers[i].substring(1) : headers[i];
        }
    }

    void add(Object... cells) {
        String[] row = new String[headers.length];
        for (int i = 0; i < headers.length; i++) {
            row[i] = i < cells.length && cells[i] != null ? ReportText.clean(String.valueOf(cells[i])) : "";
        }
        rows.add(row);
    }

    /** The lines of the table, each starting with {@code indent}, without trailing spaces. */
    List<String> lines(String indent) {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = headers[i].length();
            for (String[] row : rows) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        List<String> out = new ArrayList<>(rows.size() + 1);
        out.add(line(indent, headers, width));
        for (String[] row : rows) {
            out.add(line(indent, row, width));
        }
        return out;
    }

    private String line(String indent, String[] cells, int[] width) {
        StringBuilder b = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append("  ");
            }
            String pad = " ".repeat(width[i] - cells[i].length());
            b.append(rightAligned[i] ? pad + cells[i] : cells[i] + pad);
        }
        return b.toString().stripTrailing();
    }
}
