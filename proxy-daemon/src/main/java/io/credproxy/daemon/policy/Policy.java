package io.credproxy.daemon.policy;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.redaction.RedactionPatterns;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.rules.RuleSet;
import io.credproxy.daemon.rules.SecretTemplate;
import io.credproxy.daemon.secrets.Redactor;
import io.credproxy.daemon.secrets.Secrets;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules joined with the secrets they refer to: one immutable snapshot of what to inject where.
 *
 * <p>Built completely before use, so a reload either swaps in a whole new policy or keeps the old
 * one (see {@link PolicyHolder}); a request never sees half of each.
 */
public final class Policy {
    private final RuleSet ruleSet;
    private final Map<Rule, ResolvedRule> resolved;
    private final Redactor redactor;

    private Policy(RuleSet ruleSet, Map<Rule, ResolvedRule> resolved, Redactor redactor) {
        this.ruleSet = ruleSet;
        this.resolved = resolved;
        this.redactor = redactor;
    }

    /**
     * Joins rules and secrets.
     *
     * @throws ConfigException when a rule names a secret the secrets source does not define, or
     *     a value cannot go into a header
     */
    public static Policy resolve(List<Rule> rules, Secrets secrets) throws ConfigException {
        Map<Rule, ResolvedRule> resolved = new IdentityHashMap<>();
        for (Rule rule : rules) {
            for (String name : rule.secretNames()) {
                if (secrets.get(name).isEmpty()) {
                    throw new ConfigException("rule for " + rule.destination() + " uses secret " + name
                            + ", which " + secrets.source() + " does not define");
                }
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (Map.Entry<String, SecretTemplate> e : rule.headers().entrySet()) {
                String value = e.getValue().render(n -> secrets.get(n).orElseThrow());
                requireHeaderSafe(value, rule, e.getKey());
                headers.put(e.getKey(), value);
            }
            Map<String, String> substitutions = new LinkedHashMap<>();
            for (Map.Entry<String, SecretTemplate> e : rule.substitute().entrySet()) {
                String value = e.getValue().render(n -> secrets.get(n).orElseThrow());
                requireHeaderSafe(value, rule, "substitute " + e.getKey());
                substitutions.put(e.getKey(), value);
            }
            List<String> values = rule.secretNames().stream().map(n -> secrets.get(n).orElseThrow()).toList();
            resolved.put(rule, new ResolvedRule(rule, headers, substitutions, rule.secretNames(), RedactionPatterns.of(values)));
        }
        return new Policy(new RuleSet(rules), resolved, new Redactor(secrets));
    }

    // A value with CR, LF or NUL would split the request: refuse it at load, not per request.
    private static void requireHeaderSafe(String value, Rule rule, String where) throws ConfigException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new ConfigException("rule for " + rule.destination() + ", " + where
                        + ": the secret value holds a line break or NUL");
            }
        }
    }

    /** The resolved rule for a real destination (normalized host), if one applies. */
    public Optional<ResolvedRule> match(String host, int port) {
        return ruleSet.match(host, port).map(resolved::get);
    }

    public Redactor redactor() {
        return redactor;
    }
}
