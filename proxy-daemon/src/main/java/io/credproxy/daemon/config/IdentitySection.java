package io.credproxy.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.protocol.wire.ProxyIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code apps:} and {@code identity:} sections of the configuration ({@link IdentityConfig}),
 * each error naming its key path ({@code apps.tito.uids}).
 *
 * <p>Both absent: {@link IdentityConfig#OFF}. {@code identity:} without {@code apps:} is refused (it
 * would deny or anonymise every peer), and so is a rule's {@code apps:} naming an app the section
 * does not define: scoping a credential to a name anyone can claim would look safe and not be.
 */
final class IdentitySection {
    private static final Set<String> APP_KEYS = Set.of("uids", "token_file");
    private static final Set<String> IDENTITY_KEYS = Set.of("unknown");
    private static final long MAX_UID = 0xFFFF_FFFEL; // (uid_t) -1 means "no user"

    private IdentitySection() {}

    static IdentityConfig parse(JsonNode appsNode, JsonNode identityNode, Path base) throws ConfigException {
        boolean hasApps = appsNode != null && !appsNode.isNull();
        boolean hasIdentity = identityNode != null && !identityNode.isNull();
        if (!hasApps && !hasIdentity) {
            return IdentityConfig.OFF;
        }
        if (!hasApps) {
            throw new ConfigException("identity: needs an apps: section naming each app's Unix users");
        }
        if (!appsNode.isObject() || appsNode.isEmpty()) {
            throw new ConfigException("apps: expected a mapping of app name: {uids: [...]}");
        }
        Map<String, IdentityConfig.App> apps = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : appsNode.properties()) {
            apps.put(e.getKey(), app(e.getKey(), e.getValue(), base));
        }
        return new IdentityConfig(apps, unknown(identityNode));
    }

    private static IdentityConfig.App app(String name, JsonNode node, Path base) throws ConfigException {
        String where = "apps." + name;
        if (!ProxyIdentity.sanitizeApp(name).equals(name)) {
            throw new ConfigException(where + ": an app name is letters, digits, '-', '_' and '.', at most 64 characters");
        }
        if (name.equals(ProxyIdentity.UNKNOWN_APP)) {
            throw new ConfigException(where + ": '" + name + "' is reserved for peers that match no app");
        }
        if (node == null || !node.isObject()) {
            throw new ConfigException(where + ": expected a mapping with uids (and optionally token_file)");
        }
        ConfigLoader.requireKnownKeys(node, APP_KEYS, where + ".");
        JsonNode uidsNode = node.get("uids");
        if (uidsNode == null || !uidsNode.isArray() || uidsNode.isEmpty()) {
            throw new ConfigException(where + ".uids: expected a non-empty list of numeric Unix user ids");
        }
        List<Long> uids = new ArrayList<>();
        for (JsonNode uid : uidsNode) {
            if (!uid.isIntegralNumber() || uid.asLong() < 0 || uid.asLong() > MAX_UID) {
                throw new ConfigException(where + ".uids: '" + uid.asText() + "' is not a numeric Unix user id");
            }
            uids.add(uid.asLong());
        }
        String tokenFile = null;
        if (node.hasNonNull("token_file")) {
            tokenFile = ConfigLoader.resolvePath(base, ConfigLoader.requiredText(node, "token_file", where + "."));
        }
        return new IdentityConfig.App(name, uids, tokenFile);
    }

    private static IdentityConfig.UnknownPeers unknown(JsonNode node) throws ConfigException {
        if (node == null || node.isNull()) {
            return IdentityConfig.UnknownPeers.ANONYMOUS;
        }
        if (!node.isObject()) {
            throw new ConfigException("identity: expected a mapping with unknown: anonymous|deny");
        }
        ConfigLoader.requireKnownKeys(node, IDENTITY_KEYS, "identity.");
        if (!node.hasNonNull("unknown")) {
            return IdentityConfig.UnknownPeers.ANONYMOUS;
        }
        return switch (node.get("unknown").asText()) {
            case "anonymous" -> IdentityConfig.UnknownPeers.ANONYMOUS;
            case "deny" -> IdentityConfig.UnknownPeers.DENY;
            default -> throw new ConfigException("identity.unknown: expected anonymous or deny");
        };
    }

    /** Refuses a rule that names an app the {@code apps:} section does not define. */
    static void requireDefinedApps(List<Rule> rules, IdentityConfig identity) throws ConfigException {
        for (int i = 0; i < rules.size(); i++) {
            for (String app : rules.get(i).scope().apps()) {
                if (!identity.apps().containsKey(app)) {
                    throw new ConfigException("rules[" + i + "].apps: '" + app + "' is not defined in the apps: section"
                            + (identity.enabled() ? "" : " (there is none: a claimed name proves nothing)"));
                }
            }
        }
    }
}
