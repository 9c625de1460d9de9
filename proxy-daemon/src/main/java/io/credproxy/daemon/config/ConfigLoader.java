package io.credproxy.daemon.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.credproxy.daemon.egress.EgressConfig;
import io.credproxy.daemon.rules.Rule;
import io.credproxy.protocol.config.HostPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the daemon's YAML configuration into a validated {@link ProxyConfig}.
 *
 * <p>Walks the YAML tree by hand rather than binding it, so that each error names the key path
 * ({@code rules[2].headers}) and unknown keys are refused: a typo in a security proxy's
 * configuration should stop it, not silently drop a rule. Relative paths are taken relative to
 * the configuration file's directory.
 */
public final class ConfigLoader {
    private static final Set<String> TOP_KEYS = Set.of("listen", "admin", "secrets", "ca_dir", "audit_log", "upstream", "rules",
            "egress", "limits", "apps", "identity");
    private static final Set<String> UPSTREAM_KEYS = Set.of("extra_ca", "resolve", "connect_timeout_ms", "response_timeout_ms");

    /**
     * Loads and validates a configuration file.
     *
     * @throws ConfigException naming the file and the problem
     */
    public ProxyConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        Path base = file.toAbsolutePath().getParent();
        try {
            return parse(text, base);
        } catch (ConfigException e) {
            throw new ConfigException("config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses configuration text; relative paths resolve against {@code base}. */
    public ProxyConfig parse(String text, Path base) throws ConfigException {
        JsonNode root;
        try {
            root = YamlTree.read(text);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException("not valid YAML" + where);
        } catch (IOException e) {
            throw new ConfigException("not valid YAML");
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("expected a YAML mapping at the top level");
        }
        requireKnownKeys(root, TOP_KEYS, "");
        HostPort listen = hostPort(root, "listen", ProxyConfig.DEFAULT_LISTEN);
        HostPort admin = hostPort(root, "admin", ProxyConfig.DEFAULT_ADMIN);
        String secrets = requiredText(root, "secrets");
        if (!secrets.startsWith("systemd-credential:")) {
            secrets = resolvePath(base, secrets);
        }
        String caDir = resolvePath(base, requiredText(root, "ca_dir"));
        String auditLog = root.hasNonNull("audit_log") ? resolvePath(base, text(root, "audit_log")) : null;
        UpstreamConfig upstream = upstream(root.get("upstream"), base);
        List<Rule> rules = RulesSection.parse(root.get("rules"));
        EgressConfig egress = EgressConfigParser.parse(root.get("egress"));
        LimitsConfig limits = LimitsSection.parse(root.get("limits"));
        IdentityConfig identity = IdentitySection.parse(root.get("apps"), root.get("identity"), base);
        IdentitySection.requireDefinedApps(rules, identity);
        // Port 0 means "any free port" for each, so two zero ports never collide.
        if (listen.equals(admin) && listen.port() != 0) {
            throw new ConfigException("listen and admin are the same address " + listen);
        }
        return new ProxyConfig(listen, admin, secrets, caDir, auditLog, upstream, rules, egress, limits, identity);
    }

    private UpstreamConfig upstream(JsonNode node, Path base) throws ConfigException {
        if (node == null || node.isNull()) {
            return UpstreamConfig.defaults();
        }
        if (!node.isObject()) {
            throw new ConfigException("upstream: expected a mapping");
        }
        requireKnownKeys(node, UPSTREAM_KEYS, "upstream.");
        List<String> extraCa = new ArrayList<>();
        JsonNode ca = node.get("extra_ca");
        if (ca != null && !ca.isNull()) {
            if (ca.isTextual()) {
                extraCa.add(resolvePath(base, ca.asText()));
            } else if (ca.isArray()) {
                for (JsonNode item : ca) {
                    if (!item.isTextual()) {
                        throw new ConfigException("upstream.extra_ca: expected a list of file paths");
                    }
                    extraCa.add(resolvePath(base, item.asText()));
                }
            } else {
                throw new ConfigException("upstream.extra_ca: expected a list of file paths");
            }
        }
        Map<HostPort, HostPort> resolve = new LinkedHashMap<>();
        JsonNode res = node.get("resolve");
        if (res != null && !res.isNull()) {
            if (!res.isObject()) {
                throw new ConfigException("upstream.resolve: expected a mapping of \"host:port\": \"address:port\"");
            }
            for (Map.Entry<String, JsonNode> e : res.properties()) {
                String where = "upstream.resolve[\"" + e.getKey() + "\"]";
                if (!e.getValue().isTextual()) {
                    throw new ConfigException(where + ": expected \"address:port\"");
                }
                resolve.put(parseHostPort(e.getKey(), where), parseHostPort(e.getValue().asText(), where));
            }
        }
        int connect = positiveInt(node, "connect_timeout_ms", UpstreamConfig.DEFAULT_CONNECT_TIMEOUT_MILLIS, "upstream.");
        int response = positiveInt(node, "response_timeout_ms", UpstreamConfig.DEFAULT_RESPONSE_TIMEOUT_MILLIS, "upstream.");
        return new UpstreamConfig(extraCa, resolve, connect, response);
    }

    static void requireKnownKeys(JsonNode node, Set<String> known, String prefix) throws ConfigException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new ConfigException("unknown key '" + prefix + key + "' (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static HostPort hostPort(JsonNode root, String key, HostPort fallback) throws ConfigException {
        if (!root.hasNonNull(key)) {
            return fallback;
        }
        return parseHostPort(text(root, key), key);
    }

    private static HostPort parseHostPort(String value, String where) throws ConfigException {
        try {
            return HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    private static String requiredText(JsonNode node, String key) throws ConfigException {
        return requiredText(node, key, "");
    }

    static String requiredText(JsonNode node, String key, String prefix) throws ConfigException {
        if (!node.hasNonNull(key)) {
            throw new ConfigException("missing required key '" + prefix + key + "'");
        }
        JsonNode v = node.get(key);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new ConfigException(prefix + key + ": expected a non-empty string");
        }
        return v.asText().trim();
    }

    private static String text(JsonNode node, String key) throws ConfigException {
        return requiredText(node, key, "");
    }

    private static int positiveInt(JsonNode node, String key, int fallback, String prefix) throws ConfigException {
        if (!node.hasNonNull(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.canConvertToInt() || v.asInt() <= 0) {
            throw new ConfigException(prefix + key + ": expected a positive number");
        }
        return v.asInt();
    }

    static String resolvePath(Path base, String path) {
        Path p = Path.of(path);
        return (p.isAbsolute() || base == null ? p : base.resolve(p)).normalize().toString();
    }
}
