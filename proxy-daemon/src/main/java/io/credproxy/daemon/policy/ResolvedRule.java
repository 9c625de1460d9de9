package io.credproxy.daemon.policy;

import io.credproxy.daemon.redaction.RedactionPatterns;
import io.credproxy.daemon.rules.Rule;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A rule with its secret references filled in, ready to apply to a request.
 *
 * <p>Computed once per policy load, so a request pays only for map iteration. {@link #toString()}
 * omits the values.
 *
 * @param rule the configured rule
 * @param headers header name to the full value to set (already rendered)
 * @param substitutions placeholder to the value that replaces it
 * @param secretNames the names of the secrets this rule adds, for audit records
 * @param redaction every form of this rule's secret values, taken out of the responses to requests
 *     that carried them (compiled once per load: building it costs far more than using it)
 */
public record ResolvedRule(
        Rule rule,
        Map<String, String> headers,
        Map<String, String> substitutions,
        Set<String> secretNames,
        RedactionPatterns redaction) {

    public ResolvedRule {
        headers = Map.copyOf(headers);
        substitutions = Map.copyOf(substitutions);
        secretNames = Set.copyOf(secretNames);
        Objects.requireNonNull(redaction, "redaction");
    }

    @Override
    public String toString() {
        return "ResolvedRule[" + rule.destination() + ", headers=" + headers.keySet()
                + ", substitute=" + substitutions.keySet() + ", secrets=" + secretNames + "]";
    }
}
