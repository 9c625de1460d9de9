package io.credproxy.daemon.cli;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.egress.EgressConfig;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.secrets.SecretStore;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.daemon.tls.CertificateAuthority;
import io.credproxy.daemon.tls.UpstreamTrust;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code credproxy check}: validates the configuration, the secrets, the apps' token files and the CA
 * files without starting anything, lists each rule with the secret <em>names</em> it uses, and per app
 * which credentials it can use on which hosts, methods and paths.
 *
 * <p>Creates nothing: a missing CA is reported as "created on first start".
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate the configuration, secrets and token files without starting; list each rule with the secret"
                + " names it uses, and per app which credentials it can use on which hosts, methods and paths.")
final class CheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration.")
    Path config;

    @Override
    public Integer call() throws ConfigException {
        ProxyConfig loaded = new ConfigLoader().load(config);
        SecretStore store = new SecretStore();
        Secrets secrets = store.load(loaded.secrets());
        Policy.load(loaded, secrets); // resolves every rule and reads the token files, as the daemon will
        UpstreamTrust.clientContext(loaded.upstream().extraCa());
        String caState = checkCa(Path.of(loaded.caDir()));

        PrintWriter out = spec.commandLine().getOut();
        out.println("config " + config + ": ok");
        out.println("  listen  " + loaded.listen());
        out.println("  admin   " + loaded.admin());
        out.println("  secrets " + store.resolve(loaded.secrets()) + ": " + secrets.names().size() + " defined, mode ok");
        out.println("  CA      " + loaded.caDir() + ": " + caState);
        out.println("  extra CAs " + (loaded.upstream().extraCa().isEmpty() ? "none" : String.join(", ", loaded.upstream().extraCa())));
        EgressConfig egress = loaded.egress();
        out.println("  egress  default " + (egress.defaultAllow() ? "allow" : "deny") + ", allow " + egress.allow() + ", deny "
                + egress.deny() + ", allow_addresses " + egress.allowAddresses());
        out.println("rules (" + loaded.rules().size() + "):");
        int width = loaded.rules().stream().mapToInt(r -> r.destination().length()).max().orElse(0);
        for (Rule rule : loaded.rules()) {
            List<String> what = new ArrayList<>();
            if (!rule.headers().isEmpty()) {
                what.add("headers " + String.join(",", new TreeSet<>(rule.headers().keySet())));
            }
            if (!rule.substitute().isEmpty()) {
                what.add("substitute " + String.join(",", new TreeSet<>(rule.substitute().keySet())));
            }
            if (!rule.substituteHeaders().isEmpty()) {
                what.add("substitute_headers " + String.join(",", new TreeSet<>(rule.substituteHeaders())));
            }
            if (rule.allowPlaintext()) {
                what.add("allow_plaintext");
            }
            if (rule.allowPublicSuffix()) {
                what.add("allow_public_suffix");
            }
            if (!rule.scope().isAny()) {
                what.add(rule.scope().describe());
            }
            out.printf("  %-" + width + "s  %s  secrets: %s%n", rule.destination(), String.join("; ", what),
                    String.join(", ", rule.secretNames()));
        }
        AppAccessListing.print(loaded, out);
        out.flush();
        return CredproxyCli.EXIT_OK;
    }

    private static String checkCa(Path dir) throws ConfigException {
        boolean any = Files.exists(dir.resolve(CertificateAuthority.CERT_FILE)) || Files.exists(dir.resolve(CertificateAuthority.KEY_FILE));
        if (!any) {
            return "none yet, created on first start";
        }
        // With at least one file present, loadOrCreate only loads (or refuses); it never creates.
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir);
        return "ok (" + ca.certificate().getSubjectX500Principal().getName() + ", valid until "
                + ca.certificate().getNotAfter().toInstant() + ")";
    }
}
