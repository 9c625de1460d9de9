package io.credproxy.daemon.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured rules, indexed for lookup by destination on every connection.
 *
 * <p>An exact host beats a wildcard; among rules of the same kind, a rule with a port beats one
 * without; after that, file order decides. Lookups are a hash probe plus a scan of the wildcard
 * rules, so they stay cheap per request.
 */
public final class RuleSet {
    private final List<Rule> rules;
    private final Map<String, List<Rule>> exact = new HashMap<>();
    private final List<Rule> wildcards = new ArrayList<>();

    public RuleSet(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        for (Rule rule : this.rules) {
            if (rule.isWildcard()) {
                wildcards.add(rule);
            } else {
                exact.computeIfAbsent(rule.host(), h -> new ArrayList<>()).add(rule);
            }
        }
    }

    /**
     * The rule for a destination, if any.
     *
     * @param host a normalized host (see {@link io.credproxy.protocol.config.HostPort#normalizeHost})
     */
    public Optional<Rule> match(String host, int port) {
        Rule found = best(exact.getOrDefault(host, List.of()), host, port);
        if (found == null) {
            found = best(wildcards, host, port);
        }
        return Optional.ofNullable(found);
    }

    private static Rule best(List<Rule> candidates, String host, int port) {
        Rule anyPort = null;
        for (Rule rule : candidates) {
            if (rule.matches(host, port)) {
                if (rule.port() != null) {
                    return rule;
                }
                if (anyPort == null) {
                    anyPort = rule;
                }
            }
        }
        return anyPort;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Every secret name any rule refers to. */
    public Set<String> secretNames() {
        Set<String> names = new LinkedHashSet<>();
        rules.forEach(r -> names.addAll(r.secretNames()));
        return names;
    }
}
