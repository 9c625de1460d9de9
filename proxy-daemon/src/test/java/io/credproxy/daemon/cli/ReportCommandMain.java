package io.credproxy.daemon.cli;

import picocli.CommandLine;

/**
 * Runs {@code credproxy report} on its own, for the streaming benchmark in docs/REPORT.md, until
 * and besides the top-level CLI: {@code ReportCommandMain --audit-log FILE ...}.
 */
public final class ReportCommandMain {
    private ReportCommandMain() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReportCommand()).execute(args));
    }
}
