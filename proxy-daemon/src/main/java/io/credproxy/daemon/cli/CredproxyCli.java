package io.credproxy.daemon.cli;

import io.credproxy.daemon.buildinfo.BuildInfo;
import io.credproxy.daemon.config.ConfigException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code credproxy} command line: {@code daemon}, {@code check}, {@code report}, and the verbs
 * other parts add.
 *
 * <p>Exit codes: 0 success; 2 for every refusal (bad usage, bad configuration, missing or unsafe
 * secrets, port in use), printed as one line starting with {@code credproxy:}; 1 for an
 * unexpected internal error. New verbs are added to {@code subcommands} below.
 */
@Command(name = "credproxy",
        mixinStandardHelpOptions = true,
        versionProvider = CredproxyCli.Version.class,
        description = "Keeps API secrets out of the processes that use them: a forward proxy that adds "
                + "credentials by real destination.",
        subcommands = {DaemonCommand.class, CheckCommand.class, ReportCommand.class, EnvCommand.class, FenceCommand.class,
                DemoCommand.class, CommandLine.HelpCommand.class})
public final class CredproxyCli implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_REFUSED = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new CredproxyCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("credproxy: " + ex.getMessage() + " (see: credproxy "
                    + commandPath(ex.getCommandLine()) + "--help)");
            return EXIT_REFUSED;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ConfigException) {
                commandLine.getErr().println("credproxy: " + ex.getMessage());
                return EXIT_REFUSED;
            }
            commandLine.getErr().println("credproxy: internal error: " + ex.getClass().getName());
            return EXIT_INTERNAL;
        });
        return cli;
    }

    private static String commandPath(CommandLine commandLine) {
        return commandLine.getParent() == null ? "" : commandLine.getCommandName() + " ";
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_REFUSED;
    }

    /** The project version and git commit, recorded at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.current().versionLine()};
        }
    }
}
