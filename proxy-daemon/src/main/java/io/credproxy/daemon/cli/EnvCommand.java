package io.credproxy.daemon.cli;

import io.credproxy.daemon.clientenv.CaCertificate;
import io.credproxy.daemon.clientenv.CaFiles;
import io.credproxy.daemon.clientenv.ClientEnvironment;
import io.credproxy.daemon.clientenv.EnvFormat;
import io.credproxy.daemon.clientenv.SystemRoots;
import io.credproxy.daemon.config.ConfigException;
import io.credproxy.protocol.config.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code credproxy env}: prints what a sandboxed process's environment needs to go through the
 * daemon and trust its CA, for every runtime (see {@link ClientEnvironment}), and writes the CA
 * files those variables name.
 *
 * <p>The CA comes from the daemon's {@code GET /ca.pem} (or {@code --ca FILE}, the installed copy)
 * and is checked to be one CA certificate before anything is written. Exit codes: 0 printed; 1 the
 * daemon or a file could not be read or written; 2 bad arguments, with a message naming the problem.
 */
@Command(name = "env", sortOptions = false,
        description = "Print the environment that sends curl, Python, Node, git, pip, the AWS SDKs and JVMs through the "
                + "daemon with the app's name, trusting its CA; write the CA and a CA bundle (system roots plus the "
                + "daemon's CA) where the sandboxed user can read them.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:the daemon or a file could not be read or written", "2:bad arguments"})
final class EnvCommand implements Callable<Integer> {
    static final int EXIT_FAILED = 1;
    private static final int MAX_CA_BYTES = 64 * 1024;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--app", paramLabel = "NAME",
            description = "the app name reports show (letters, digits, '.', '_', '-'; default: the user's name)")
    String app;

    @Option(names = "--config", paramLabel = "FILE", description = "read listen and admin from the daemon's config")
    Path config;

    @Option(names = "--proxy", paramLabel = "HOST:PORT", converter = OptionConverters.HostPortConverter.class,
            description = "the daemon's proxy address (default: the config's listen, or 127.0.0.1:18080)")
    HostPort proxy;

    @Option(names = "--admin", paramLabel = "HOST:PORT", converter = OptionConverters.HostPortConverter.class,
            description = "the daemon's admin address, for /ca.pem (default: the config's admin, or 127.0.0.1:18081)")
    HostPort admin;

    @Option(names = "--format", paramLabel = "FORMAT", converter = FormatConverter.class, defaultValue = "sh",
            description = "sh (default: export lines to source), systemd (an EnvironmentFile=) or json")
    EnvFormat format = EnvFormat.SH;

    @Option(names = "--dir", paramLabel = "DIR", description = "where ca.pem and ca-bundle.pem are written "
            + "(default: $XDG_CACHE_HOME/credproxy or ~/.cache/credproxy); it must be readable by the sandboxed user")
    Path dir;

    @Option(names = "--ca", paramLabel = "FILE", description = "use this copy of the daemon's CA instead of fetching /ca.pem")
    Path caFile;

    @Option(names = "--system-roots", paramLabel = "FILE", description = "the system roots for the bundle "
            + "(default: the distribution's bundle, e.g. /etc/ssl/certs/ca-certificates.crt, else the JDK's)")
    Path systemRoots;

    @Option(names = "--agent-jar", paramLabel = "FILE", description = "the java agent for JAVA_TOOL_OPTIONS "
            + "(default: found beside the daemon jar, or agent/target in its source tree)")
    Path agentJar;

    @Option(names = "--no-agent", description = "leave JAVA_TOOL_OPTIONS out")
    boolean noAgent;

    /** Where this daemon's code lives; tests replace it. */
    Path home = DemoCommand.codeHome();

    @Override
    public Integer call() throws ConfigException {
        String appName = validApp(app != null ? app : System.getProperty("user.name"));
        DaemonAddresses addresses = DaemonAddresses.of(config);
        HostPort proxyAddress = connectable(proxy != null ? proxy : addresses.listen(), "--proxy");
        HostPort adminAddress = connectable(admin != null ? admin : addresses.admin(), "--admin");
        CaFiles files = new CaFiles(outputDir());
        Path agent = noAgent ? null : agentJar();
        ClientEnvironment environment;
        try {
            environment = new ClientEnvironment(proxyAddress, adminAddress, appName,
                    caFile != null ? caFile.toAbsolutePath() : files.caFile(), files.bundleFile(), agent);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        try {
            CaCertificate ca = caFile != null ? fromFile(caFile) : fromDaemon(adminAddress);
            files.write(ca, systemRoots(), caFile == null);
            Optional<Path> closed = files.closedToOthers();
            if (closed.isPresent()) {
                err.println("credproxy env: note: other users cannot enter " + closed.get() + ", so a sandboxed user other "
                        + "than this one cannot read the CA files; choose a --dir they can read");
            }
        } catch (Failure e) {
            err.println("credproxy env: " + e.getMessage());
            return EXIT_FAILED;
        } catch (IOException e) {
            err.println("credproxy env: cannot write the CA files in " + dir + ": " + e.getMessage());
            return EXIT_FAILED;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.render(environment.variables(), "credproxy env for app " + appName + ": proxy "
                + proxyAddress + ", CA " + environment.caFile() + "\n"
                + (format == EnvFormat.SH ? "load with: source <(credproxy env ...) or eval \"$(credproxy env ...)\""
                        : "for EnvironmentFile= in the sandboxed service (or: set -a; . FILE; set +a)")));
        out.flush();
        return CredproxyCli.EXIT_OK;
    }

    private String validApp(String name) {
        try {
            return ClientEnvironment.requireApp(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--app: " + e.getMessage());
        }
    }

    private HostPort connectable(HostPort address, String option) {
        address = DaemonAddresses.connectable(address);
        if (address.port() == 0) {
            throw new ParameterException(spec.commandLine(), option + ": the configured port is 0 (any free port); "
                    + "name the address the daemon printed at start with " + option + " HOST:PORT");
        }
        return address;
    }

    private Path outputDir() {
        if (dir != null) {
            dir = dir.toAbsolutePath();
            return dir;
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        String userHome = System.getenv("HOME");
        if (cache != null && cache.startsWith("/")) {
            dir = Path.of(cache, "credproxy");
        } else if (userHome != null && userHome.startsWith("/")) {
            dir = Path.of(userHome, ".cache", "credproxy");
        } else {
            throw new ParameterException(spec.commandLine(), "--dir: no HOME or XDG_CACHE_HOME to put the CA files under; name a directory");
        }
        return dir;
    }

    private Path agentJar() {
        if (agentJar != null) {
            if (!Files.isRegularFile(agentJar)) {
                throw new ParameterException(spec.commandLine(), "--agent-jar: " + agentJar + " is not a file");
            }
            return agentJar.toAbsolutePath();
        }
        for (Path candidate : DemoCommand.candidates(home, DemoCommand.AGENT_JAR, "agent")) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new ParameterException(spec.commandLine(), "the agent jar " + DemoCommand.AGENT_JAR + " is not beside the daemon ("
                + home + "): name it with --agent-jar FILE, or leave JAVA_TOOL_OPTIONS out with --no-agent");
    }

    private String systemRoots() throws Failure {
        try {
            return SystemRoots.read(systemRoots);
        } catch (IOException e) {
            throw new Failure("cannot read the system roots" + (systemRoots == null ? "" : " " + systemRoots) + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private CaCertificate fromFile(Path file) throws Failure {
        try {
            return CaCertificate.parse(Files.readAllBytes(file), "--ca " + file);
        } catch (NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(), "--ca: " + file + " does not exist");
        } catch (IOException e) {
            throw new Failure("cannot read --ca " + file + ": " + e.getClass().getSimpleName());
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        }
    }

    private static CaCertificate fromDaemon(HostPort admin) throws Failure {
        URI uri = URI.create("http://" + admin + "/ca.pem");
        // The admin endpoint is local: never through whatever proxy this JVM is told about.
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new Failure("the admin endpoint at " + admin + " answered HTTP " + response.statusCode() + " to GET /ca.pem");
                }
                byte[] bytes = body.readNBytes(MAX_CA_BYTES + 1);
                if (bytes.length > MAX_CA_BYTES) {
                    throw new Failure("the admin endpoint at " + admin + " sent more than " + MAX_CA_BYTES + " bytes for /ca.pem");
                }
                return CaCertificate.parse(bytes, "GET " + uri);
            }
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        } catch (IOException e) {
            throw new Failure("cannot reach the daemon's admin endpoint at " + admin + " (" + e.getClass().getSimpleName()
                    + "); is it running? (or name the installed CA with --ca FILE)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while fetching " + uri);
        }
    }

    /** A failure to read or write (exit 1), as opposed to bad arguments (exit 2). */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code --format}, any case. */
    static final class FormatConverter extends OptionConverters.MessageConverter<EnvFormat> {
        @Override
        EnvFormat parse(String value) {
            return EnvFormat.parse(value);
        }
    }
}
