package io.credproxy.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.credproxy.daemon.rules.PathGlob;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.daemon.rules.RuleScope;
import io.credproxy.daemon.rules.SecretTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code rules:} section of the configuration: a list of {@link Rule}s, each error naming its
 * key path ({@code rules[2].headers.Authorization}). A new rule key is added here (its name in
 * {@link #RULE_KEYS}, its parsing below) and in {@link Rule}.
 */
final class RulesSection {
    static final Set<String> RULE_KEYS = Set.of("host", "port", "headers", "substitute", "allow_plaintext",
            "substitute_headers", "allow_public_suffix", "apps", "methods", "paths");

    private RulesSection() {}

    static List<Rule> parse(JsonNode node) throws ConfigException {
        List<Rule> rules = new ArrayList<>();
        if (node == null || node.isNull()) {
            return rules;
        }
        if (!node.isArray()) {
            throw new ConfigException("rules: expected a list");
        }
        for (int i = 0; i < node.size(); i++) {
            String where = "rules[" + i + "]";
            JsonNode r = node.get(i);
            if (!r.isObject()) {
                throw new ConfigException(where + ": expected a mapping with host and headers or substitute");
            }
            ConfigLoader.requireKnownKeys(r, RULE_KEYS, where + ".");
            String host = ConfigLoader.requiredText(r, "host", where + ".");
            Integer port = null;
            if (r.hasNonNull("port")) {
                if (!r.get("port").canConvertToInt()) {
                    throw new ConfigException(where + ".port: expected a number");
                }
                port = r.get("port").asInt();
            }
            Map<String, SecretTemplate> headers = templates(r.get("headers"), where + ".headers");
            Map<String, SecretTemplate> substitute = templates(r.get("substitute"), where + ".substitute");
            boolean allowPlaintext = flag(r, "allow_plaintext", where);
            Set<String> substituteHeaders = headerNames(r.get("substitute_headers"), where + ".substitute_headers");
            boolean allowPublicSuffix = flag(r, "allow_public_suffix", where);
            RuleScope scope = scope(r, where);
            Rule rule;
            try {
                rule = new Rule(host, port, headers, substitute, allowPlaintext, substituteHeaders, allowPublicSuffix, scope);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + " (" + host + "): " + e.getMessage());
            }
            try {
                PublicSuffixWildcards.check(rule.host(), rule.allowPublicSuffix());
            } catch (ConfigException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
            rules.add(rule);
        }
        return rules;
    }

    private static boolean flag(JsonNode rule, String key, String where) throws ConfigException {
        if (!rule.hasNonNull(key)) {
            return false;
        }
        if (!rule.get(key).isBoolean()) {
            throw new ConfigException(where + "." + key + ": expected true or false");
        }
        return rule.get(key).asBoolean();
    }

    private static Set<String> headerNames(JsonNode node, String where) throws ConfigException {
        Set<String> out = new LinkedHashSet<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new ConfigException(where + ": expected a list of header names");
        }
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new ConfigException(where + "[" + i + "]: expected a header name");
            }
            out.add(node.get(i).asText());
        }
        return out;
    }

    /** {@code apps}, {@code methods} and {@code paths}: lists that narrow who may use the rule, and how. */
    private static RuleScope scope(JsonNode rule, String where) throws ConfigException {
        List<String> apps = names(rule.get("apps"), where + ".apps");
        List<String> methods = names(rule.get("methods"), where + ".methods");
        List<PathGlob> paths = new ArrayList<>();
        for (String pattern : names(rule.get("paths"), where + ".paths")) {
            try {
                paths.add(PathGlob.parse(pattern));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ".paths: " + e.getMessage());
            }
        }
        try {
            return new RuleScope(new LinkedHashSet<>(apps), new LinkedHashSet<>(methods), paths);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ".methods: " + e.getMessage());
        }
    }

    /** A list of non-empty strings; absent is an empty list, an empty list is refused (leave the key out for "any"). */
    private static List<String> names(JsonNode node, String where) throws ConfigException {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new ConfigException(where + ": expected a non-empty list (leave the key out to allow any)");
        }
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw new ConfigException(where + ": expected a list of non-empty strings");
            }
            out.add(item.asText().trim());
        }
        return out;
    }

    private static Map<String, SecretTemplate> templates(JsonNode node, String where) throws ConfigException {
        Map<String, SecretTemplate> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new ConfigException(where + ": expected a mapping of name: \"value with ${SECRET}\"");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new ConfigException(where + "." + e.getKey() + ": expected a string");
            }
            SecretTemplate template;
            try {
                template = SecretTemplate.parse(e.getValue().asText());
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(where + "." + e.getKey() + ": " + ex.getMessage());
            }
            if (template.secretNames().isEmpty()) {
                // A literal credential in the config would live outside the 0600 secrets file.
                throw new ConfigException(where + "." + e.getKey() + ": must refer to a secret as ${NAME}");
            }
            out.put(e.getKey(), template);
        }
        return out;
    }
}
