package io.credproxy.daemon.cli;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.fence.FenceRules;
import io.credproxy.daemon.fence.Nft;
import io.credproxy.protocol.config.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code credproxy fence}: the kernel egress fence for sandboxed users, an nftables table that
 * leaves their processes TCP to the daemon and nothing else (see {@link FenceRules}); printed, or
 * loaded with {@code nft} ({@code --apply}).
 *
 * <p>The allowed addresses are the daemon's {@code listen} and, unless {@code --proxy-only}, its
 * {@code admin} address: the agent in a sandboxed JVM fetches the CA there and reports what it
 * blocked, and {@code credproxy env} fetches the CA. Exit codes: 0 printed or loaded; 1 nft is
 * missing or refused the table; 2 bad arguments.
 */
@Command(name = "fence", sortOptions = false,
        description = "Print (or load with --apply) an nftables table that lets the given users' processes open TCP "
                + "connections to the daemon only: every other TCP connection, UDP (DNS too: the daemon resolves for "
                + "them) and anything else they send is refused, loopback and IPv6 included. Other users are untouched.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed or loaded", "1:nft is missing or refused the table", "2:bad arguments"})
final class FenceCommand implements Callable<Integer> {
    static final int EXIT_FAILED = 1;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--uid", paramLabel = "UID", required = true, arity = "1..*", split = ",",
            description = "the sandboxed users to fence: uids or user names (repeatable; names are resolved when nft loads the table)")
    List<String> uids = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "read the daemon's listen and admin addresses from its config "
            + "(default: 127.0.0.1:18080 and 127.0.0.1:18081)")
    Path config;

    @Option(names = "--proxy-only", description = "allow the proxy port alone, not the admin port (JVMs under the agent "
            + "then need ca=FILE and lose their reports)")
    boolean proxyOnly;

    @Option(names = "--apply", description = "load the table with nft (needs root) instead of printing it")
    boolean apply;

    @Override
    public Integer call() throws ConfigException, IOException, InterruptedException {
        DaemonAddresses addresses = DaemonAddresses.of(config);
        List<HostPort> allowed = new ArrayList<>();
        allowed.add(endpoint(addresses.listen(), "listen"));
        if (!proxyOnly) {
            allowed.add(endpoint(addresses.admin(), "admin"));
        }
        FenceRules rules;
        try {
            rules = new FenceRules(uids, allowed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--uid: " + e.getMessage());
        }
        String script = rules.render();
        PrintWriter out = spec.commandLine().getOut();
        if (!apply) {
            out.print(script);
            out.flush();
            return CredproxyCli.EXIT_OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        Optional<Path> nft = Nft.find();
        if (nft.isEmpty()) {
            err.println("credproxy fence: nft not found (Debian: apt-get install nftables)");
            return EXIT_FAILED;
        }
        Nft.Result result = Nft.load(nft.get(), script);
        if (result.exitCode() != 0) {
            err.println("credproxy fence: nft refused the table (exit " + result.exitCode() + "): " + result.output());
            return EXIT_FAILED;
        }
        out.println("credproxy fence: loaded table " + FenceRules.FAMILY_AND_TABLE + ": " + String.join(", ", rules.users())
                + " may reach only " + String.join(", ", allowed.stream().map(HostPort::toString).toList()));
        out.flush();
        return CredproxyCli.EXIT_OK;
    }

    private HostPort endpoint(HostPort configured, String key) {
        HostPort address = DaemonAddresses.connectable(configured);
        if (address.port() == 0) {
            throw new ParameterException(spec.commandLine(), "the config's " + key + " port is 0 (any free port): "
                    + "a fence needs the fixed port the sandbox connects to");
        }
        if (address.host().equals("localhost")) {
            // The one name the fence takes: resolving it here would make the fence depend on /etc/hosts.
            throw new ParameterException(spec.commandLine(), "the config's " + key + " is localhost: write 127.0.0.1 (or [::1]) "
                    + "so the fence and the daemon agree on the address");
        }
        return address;
    }
}
