package io.credproxy.daemon.cli;

import io.credproxy.daemon.config.IdentityConfig;
import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.rules.RuleScope;
import io.credproxy.protocol.wire.ProxyIdentity;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The part of {@code credproxy check} that answers "which app can use which credential, where": per
 * app, its users, whether it needs a token, and every rule whose scope admits it, with the secret
 * names, host, methods and paths. Peers that match no app are listed last as {@code unknown}.
 */
final class AppAccessListing {
    private AppAccessListing() {}

    static void print(ProxyConfig config, PrintWriter out) {
        IdentityConfig identity = config.identity();
        if (!identity.enabled()) {
            out.println("apps: none configured: an app is the name the client claims, and rules cannot be scoped by app");
            List<String> lines = lines(config.rules(), null);
            if (!lines.isEmpty()) {
                out.println("  any client:");
                lines.forEach(out::println);
            }
            return;
        }
        out.println("apps (" + identity.apps().size() + "), identified by the kernel's socket owner; peers of no app: "
                + identity.unknown().name().toLowerCase(java.util.Locale.ROOT) + ":");
        for (IdentityConfig.App app : identity.apps().values()) {
            out.println("  " + app.name() + "  uids " + app.uids().stream().map(String::valueOf).collect(Collectors.joining(","))
                    + "  token " + (app.tokenFile() == null ? "none" : app.tokenFile() + " (ok)"));
            print(out, lines(config.rules(), app.name()));
        }
        if (identity.unknown() == IdentityConfig.UnknownPeers.DENY) {
            out.println("  " + ProxyIdentity.UNKNOWN_APP + "  refused (407)");
        } else {
            out.println("  " + ProxyIdentity.UNKNOWN_APP + "  (peers of no app)");
            print(out, lines(config.rules(), ProxyIdentity.UNKNOWN_APP));
        }
    }

    private static void print(PrintWriter out, List<String> lines) {
        if (lines.isEmpty()) {
            out.println("    no credentials");
        }
        lines.forEach(out::println);
    }

    /** One line per rule {@code app} may use ({@code null}: any app), in file order. */
    private static List<String> lines(List<Rule> rules, String app) {
        List<String> out = new ArrayList<>();
        for (Rule rule : rules) {
            RuleScope scope = rule.scope();
            if (app != null && !scope.admitsApp(app)) {
                continue;
            }
            out.add("    " + String.join(",", rule.secretNames()) + " on " + rule.destination()
                    + (rule.allowPlaintext() ? " (https and http)" : "")
                    + "  methods " + (scope.methods().isEmpty() ? "any" : String.join(",", scope.methods().stream().sorted().toList()))
                    + "  paths " + (scope.paths().isEmpty() ? "any" : scope.paths().stream().map(Object::toString)
                            .collect(Collectors.joining(" "))));
        }
        return out;
    }
}
