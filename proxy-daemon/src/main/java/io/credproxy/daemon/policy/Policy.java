package io.credproxy.daemon.policy;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.redaction.RedactionPatterns;
import io.credproxy.daemon.config.ProxyConfig;
import io.credproxy.daemon.identity.AppDirectory;
import io.credproxy.daemon.identity.TokenFiles;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.rules.RuleSelection;
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
 * The rules joined with the secrets they refer to, and the apps allowed to use them: one immutable
 * snapshot of what to inject where, and for whom.
 *
 * <p>Built completely before use, so a reload either swaps in a whole new policy or keeps the old
 * one (see {@link PolicyHolder}); a request never sees half of each.
 */
public final class Policy {
    private final RuleSet ruleSet;
    private final Map<Rule, ResolvedRule> resolved;
    private final Redactor redactor;
    private final AppDirectory apps;

    private Policy(RuleSet ruleSet, Map<Rule, ResolvedRule> resolved, Redactor redactor, AppDirectory apps) {
        this.ruleSet = ruleSet;
        this.resolved = resolved;
        this.redactor = redactor;
        this.apps = apps;
    }

    /**
     * The policy a configuration describes: its rules with {@code secrets}, its apps with their token
     * files (read here, and refused when unsafe). Token values are redacted like secrets.
     *
     * @throws ConfigException as {@link #resolve}, or for a token file that is missing, unsafe or too short
     */
    public static Policy load(ProxyConfig config, Secrets secrets) throws ConfigException {
        Map<String, String> tokens = TokenFiles.load(config.identity());
        Map<String, String> redactable = new LinkedHashMap<>();
        tokens.forEach((app, token) -> redactable.put("token-of-" + app, token));
        return resolve(config.rules(), new AppDirectory(config.identity(), tokens), secrets, secrets.with(redactable));
    }

    /**
     * Joins rules and secrets.
     *
     * @throws ConfigException when a rule names a secret the secrets source does not define, or
     *     a value cannot go into a header
     */
    public static Policy resolve(List<Rule> rules, Secrets secrets) throws ConfigException {
        return resolve(rules, AppDirectory.OFF, secrets, secrets);
    }

    private static Policy resolve(List<Rule> rules, AppDirectory apps, Secrets secrets, Secrets redacted) throws ConfigException {
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
        return new Policy(new RuleSet(rules), resolved, new Redactor(redacted), apps);
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

    /**
     * The rule a request gets once its scope is weighed (see {@link RuleSet#select}).
     *
     * @param method {@code null} to judge the app alone; @param rawPath {@code null} to leave paths out
     */
    public Selection select(String host, int port, String app, String method, String rawPath) {
        RuleSelection s = ruleSet.select(host, port, app, method, rawPath);
        return new Selection(s.rule() == null ? null : resolved.get(s.rule()), s);
    }

    /**
     * A {@link RuleSelection} with the chosen rule's secrets resolved.
     *
     * @param rule the resolved rule that applies, {@code null} when none (see {@code selection})
     */
    public record Selection(ResolvedRule rule, RuleSelection selection) {}

    /** The apps and how peers are identified ({@link AppDirectory#OFF} without an {@code apps:} section). */
    public AppDirectory apps() {
        return apps;
    }

    public Redactor redactor() {
        return redactor;
    }
}
