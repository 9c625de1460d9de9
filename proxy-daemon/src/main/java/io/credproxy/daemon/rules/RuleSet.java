package io.credproxy.daemon.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The configured rules, indexed for lookup by destination on every connection.
 *
 * <p>An exact host beats a wildcard; among rules of the same kind, a rule with a port beats one
 * without; after that, file order decides. Lookups are a hash probe plus a scan of the wildcard
 * rules, so they stay cheap per request.
 *
 * <p>Scoped rules ({@link RuleScope}) are chosen in two steps ({@link #select}). First the
 * destination picks a <em>group</em>: the rules with the same host pattern and port as the rule
 * {@link #match} finds, so a more specific host shadows a less specific one whatever their scopes
 * (a rule for {@code crm.workers.dev} that only app B may use is not bypassed by app A through a
 * {@code *.workers.dev} rule). Then, in file order, the first rule of the group whose apps, methods
 * and paths admit the request applies. When none does, the request is refused: it never goes on
 * without the credential, which would only earn a 401 and a retry.
 */
public final class RuleSet {
    private final List<Rule> rules;
    private final Map<String, List<Rule>> exact = new HashMap<>();
    private final List<Rule> wildcards = new ArrayList<>();
    /** Per rule (by identity: {@link #match} returns these instances), its group and the group's secret names. */
    private final Map<Rule, List<Rule>> groups = new IdentityHashMap<>();
    private final Map<Rule, Set<String>> groupSecretNames = new IdentityHashMap<>();

    public RuleSet(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        for (Rule rule : this.rules) {
            if (rule.isWildcard()) {
                wildcards.add(rule);
            } else {
                exact.computeIfAbsent(rule.host(), h -> new ArrayList<>()).add(rule);
            }
        }
        // Built once here, not per request: a rule's group never changes after the set is built.
        for (Rule rule : this.rules) {
            List<Rule> group = group(rule);
            Set<String> names = new LinkedHashSet<>();
            group.forEach(member -> names.addAll(member.secretNames()));
            groups.put(rule, List.copyOf(group));
            groupSecretNames.put(rule, Set.copyOf(names)); // what RuleSelection keeps anyway: not copied again
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

    /**
     * The rule whose credentials a request gets, weighing its scope.
     *
     * @param app the app the request is attributed to
     * @param method the method as sent; {@code null} to judge the app alone (a CONNECT)
     * @param rawPath the path without query as sent; {@code null} to judge app and method alone
     */
    public RuleSelection select(String host, int port, String app, String method, String rawPath) {
        Rule best = match(host, port).orElse(null);
        if (best == null) {
            return RuleSelection.NONE;
        }
        List<Rule> group = groups.get(best);
        String appRefusal = null;
        String scopeRefusal = null;
        RequestPath path = null;
        String pathProblem = null;
        for (Rule rule : group) {
            RuleScope scope = rule.scope();
            if (!scope.admitsApp(app)) {
                appRefusal = appRefusal != null ? appRefusal : "app " + app + " may not use the credentials for " + host;
                continue;
            }
            if (method != null && !scope.admitsMethod(method)) {
                scopeRefusal = scopeRefusal != null ? scopeRefusal : "method " + method + " is not allowed with the credentials for "
                        + host + " (allowed: " + String.join(", ", scope.methods().stream().sorted().toList()) + ")";
                continue;
            }
            if (method == null || rawPath == null || !scope.scopesPaths()) {
                return RuleSelection.of(rule, null);
            }
            if (path == null && pathProblem == null) {
                try {
                    path = RequestPath.of(rawPath);
                } catch (IllegalArgumentException e) {
                    pathProblem = e.getMessage();
                }
            }
            if (path != null && scope.admitsPath(path)) {
                return RuleSelection.of(rule, path);
            }
            if (scopeRefusal == null) {
                scopeRefusal = pathProblem != null ? "path refused: " + pathProblem
                        : "path is outside the paths allowed with the credentials for " + host;
            }
        }
        return RuleSelection.refused(scopeRefusal != null ? scopeRefusal : appRefusal, groupSecretNames.get(best));
    }

    /** The rules with the same host pattern and port as {@code best}, in file order. */
    private List<Rule> group(Rule best) {
        List<Rule> candidates = best.isWildcard() ? wildcards : exact.getOrDefault(best.host(), List.of());
        List<Rule> group = new ArrayList<>(candidates.size());
        for (Rule rule : candidates) {
            if (rule.host().equals(best.host()) && Objects.equals(rule.port(), best.port())) {
                group.add(rule);
            }
        }
        return group;
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
