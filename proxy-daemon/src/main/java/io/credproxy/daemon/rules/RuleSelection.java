package io.credproxy.daemon.rules;

import java.util.Set;

/**
 * Which rule's credentials a request gets, after its destination and its scope (app, method, path)
 * were weighed: one rule, no rule at all for the destination, or a refusal.
 *
 * @param rule the rule that applies; {@code null} when none covers the destination or when refused
 * @param path the normalised path, when the chosen rule scopes paths (it is what is forwarded); else {@code null}
 * @param refusal why the request may not have the destination's credentials; {@code null} unless refused
 * @param refusedSecretNames the secret names the refused request would have carried (for the report)
 */
public record RuleSelection(Rule rule, RequestPath path, String refusal, Set<String> refusedSecretNames) {
    public static final RuleSelection NONE = new RuleSelection(null, null, null, Set.of());

    public RuleSelection {
        refusedSecretNames = Set.copyOf(refusedSecretNames);
    }

    static RuleSelection of(Rule rule, RequestPath path) {
        return new RuleSelection(rule, path, null, Set.of());
    }

    static RuleSelection refused(String reason, Set<String> secretNames) {
        return new RuleSelection(null, null, reason, secretNames);
    }

    public boolean refused() {
        return refusal != null;
    }
}
