package io.credproxy.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.credproxy.daemon.egress.Cidr;
import io.credproxy.daemon.egress.EgressConfig;
import io.credproxy.daemon.egress.HostPattern;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads the {@code egress:} section from the configuration's YAML tree.
 *
 * <p>Like the rest of the configuration: every key known, every entry checked, each error naming
 * the key path and the entry ({@code egress.allow_addresses[1]: '10.20.1.0/16': bits are set past
 * the /16 prefix ...}), because a typo in what opens internal networks must stop the daemon.
 */
public final class EgressConfigParser {
    private static final Set<String> KEYS = Set.of("default", "allow", "deny", "allow_addresses");

    private EgressConfigParser() {}

    /**
     * Parses the value of the {@code egress} key; a missing or null section is {@link EgressConfig#defaults()}.
     *
     * @throws ConfigException naming the key and entry at fault
     */
    public static EgressConfig parse(JsonNode node) throws ConfigException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return EgressConfig.defaults();
        }
        if (!node.isObject()) {
            throw new ConfigException("egress: expected a mapping with default, allow, deny, allow_addresses");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new ConfigException("unknown key 'egress." + key + "' (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
            }
        }
        boolean defaultAllow = defaultAllow(node.get("default"));
        List<HostPattern> allow = list(node.get("allow"), "egress.allow", HostPattern::parse);
        List<HostPattern> deny = list(node.get("deny"), "egress.deny", HostPattern::parse);
        List<Cidr> addresses = list(node.get("allow_addresses"), "egress.allow_addresses", Cidr::parse);
        return new EgressConfig(defaultAllow, allow, deny, addresses);
    }

    private static boolean defaultAllow(JsonNode node) throws ConfigException {
        if (node == null || node.isNull()) {
            return true;
        }
        // YAML 1.1 reads a bare yes/no/on/off as a boolean: refuse it rather than guess.
        if (node.isTextual() && node.asText().equals("allow")) {
            return true;
        }
        if (node.isTextual() && node.asText().equals("deny")) {
            return false;
        }
        throw new ConfigException("egress.default: expected allow or deny");
    }

    private static <T> List<T> list(JsonNode node, String where, Function<String, T> parser) throws ConfigException {
        List<T> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new ConfigException(where + ": expected a list of strings");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw new ConfigException(where + "[" + i + "]: expected a string");
            }
            try {
                out.add(parser.apply(item.asText()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + "[" + i + "]: " + e.getMessage());
            }
        }
        return out;
    }
}
