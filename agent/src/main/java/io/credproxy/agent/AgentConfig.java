package io.credproxy.agent;

import io.credproxy.agent.bootstrap.DirectRule;
import io.credproxy.agent.bootstrap.EgressPolicy.SocketMode;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.wire.ProxyIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's options:
 * {@code proxy=HOST:PORT,admin=HOST:PORT,app=NAME,sockets=tunnel|block,direct=HOST[:PORT];...,ca=/path,token_file=/path}.
 *
 * <p>Each option may also come from the environment ({@code CREDPROXY_PROXY}, {@code CREDPROXY_ADMIN},
 * {@code CREDPROXY_APP}, {@code CREDPROXY_SOCKETS}, {@code CREDPROXY_DIRECT}, {@code CREDPROXY_CA},
 * {@code CREDPROXY_TOKEN_FILE});
 * the agent arguments win. Defaults: the daemon's standard ports, the main class or jar name,
 * {@code sockets=tunnel}, loopback exempt, the CA fetched from the admin port. {@code direct=} given
 * with an empty value exempts nothing but the daemon's own addresses.
 *
 * @param proxy the daemon's proxy port
 * @param admin the daemon's admin port ({@code /ca.pem}, {@code /events})
 * @param app the app name the daemon's reports show
 * @param sockets what happens to raw sockets to destinations that are not exempt
 * @param direct the destinations that may be reached without the daemon
 * @param ca a PEM file holding the daemon's CA, or {@code null} to fetch it from the admin port
 * @param tokenFile a file holding the app's token for the daemon ({@link TokenFile}), or {@code null}
 *     for none; only the path is kept here, the token is read once at start and never printed
 */
public record AgentConfig(HostPort proxy, HostPort admin, String app, SocketMode sockets, List<DirectRule> direct, Path ca,
                          Path tokenFile) {
    public static final HostPort DEFAULT_PROXY = new HostPort("127.0.0.1", 18080);
    public static final HostPort DEFAULT_ADMIN = new HostPort("127.0.0.1", 18081);
    public static final String DEFAULT_DIRECT = "127.0.0.0/8;::1;localhost";
    private static final List<String> KEYS = List.of("proxy", "admin", "app", "sockets", "direct", "ca", "token_file");

    public AgentConfig {
        direct = List.copyOf(direct);
    }

    /**
     * Reads the options from the agent argument string, then the environment.
     *
     * @param agentArgs what follows {@code =} in {@code -javaagent:jar=...}; may be {@code null}
     * @param env the process environment
     * @param javaCommand the {@code sun.java.command} property, for the default app name
     * @throws AgentConfigException naming the bad option
     */
    public static AgentConfig parse(String agentArgs, Map<String, String> env, String javaCommand) throws AgentConfigException {
        Map<String, String> options = new LinkedHashMap<>();
        for (String key : KEYS) {
            String value = env.get("CREDPROXY_" + key.toUpperCase(Locale.ROOT));
            if (value != null) {
                options.put(key, value.trim());
            }
        }
        options.putAll(splitArguments(agentArgs));

        HostPort proxy = address("proxy", options.get("proxy"), DEFAULT_PROXY);
        HostPort admin = address("admin", options.get("admin"), DEFAULT_ADMIN);
        String app = options.containsKey("app") ? options.get("app") : defaultApp(javaCommand);
        if (app.isBlank()) {
            throw new AgentConfigException("app= is empty (give a name, or leave the option out)");
        }
        SocketMode sockets = sockets(options.getOrDefault("sockets", "tunnel"));
        List<DirectRule> direct = direct(options.getOrDefault("direct", DEFAULT_DIRECT));
        Path ca = null;
        if (options.containsKey("ca")) {
            String text = options.get("ca");
            if (text.isEmpty()) {
                throw new AgentConfigException("ca= is empty (give a PEM file, or leave the option out to fetch the CA from the daemon)");
            }
            ca = Path.of(text);
            if (!Files.isReadable(ca)) {
                throw new AgentConfigException("ca=" + text + ": not a readable file");
            }
        }
        Path tokenFile = null;
        if (options.containsKey("token_file")) {
            if (options.get("token_file").isEmpty()) {
                throw new AgentConfigException("token_file= is empty (give the file holding the app's token, or leave the option out)");
            }
            tokenFile = Path.of(options.get("token_file"));
        }
        return new AgentConfig(proxy, admin, ProxyIdentity.sanitizeApp(app), sockets, direct, ca, tokenFile);
    }

    /** {@code key=value,key=value}; unknown and repeated keys are errors. */
    static Map<String, String> splitArguments(String agentArgs) throws AgentConfigException {
        Map<String, String> out = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return out;
        }
        for (String part : agentArgs.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new AgentConfigException("'" + part + "' is not key=value (known keys: " + String.join(", ", KEYS) + ")");
            }
            String key = part.substring(0, eq).trim();
            if (!KEYS.contains(key)) {
                throw new AgentConfigException("unknown option '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
            if (out.put(key, part.substring(eq + 1).trim()) != null) {
                throw new AgentConfigException("option '" + key + "' given twice");
            }
        }
        return out;
    }

    private static HostPort address(String key, String text, HostPort fallback) throws AgentConfigException {
        if (text == null) {
            return fallback;
        }
        try {
            HostPort parsed = HostPort.parse(text);
            if (parsed.port() == 0) {
                throw new IllegalArgumentException("port 0");
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new AgentConfigException(key + "=" + text + ": " + e.getMessage() + " (expected HOST:PORT)");
        }
    }

    private static SocketMode sockets(String text) throws AgentConfigException {
        switch (text) {
            case "tunnel":
                return SocketMode.TUNNEL;
            case "block":
                return SocketMode.BLOCK;
            default:
                throw new AgentConfigException("sockets=" + text + ": expected tunnel or block");
        }
    }

    private static List<DirectRule> direct(String text) throws AgentConfigException {
        List<DirectRule> rules = new ArrayList<>();
        for (String entry : text.split(";", -1)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                rules.add(DirectRule.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new AgentConfigException("direct=" + text + ": " + e.getMessage());
            }
        }
        return rules;
    }

    /** The jar's name without {@code .jar}, or the main class, from {@code sun.java.command}. */
    static String defaultApp(String javaCommand) {
        if (javaCommand == null || javaCommand.isBlank()) {
            return ProxyIdentity.UNKNOWN_APP;
        }
        String command = javaCommand.trim();
        int end = 0;
        while (end < command.length() && !Character.isWhitespace(command.charAt(end))) {
            end++; // no regular expression here: this runs in premain, and java.util.regex costs to load
        }
        String first = command.substring(0, end);
        if (first.endsWith(".jar")) {
            String name = Path.of(first).getFileName().toString();
            return name.substring(0, name.length() - ".jar".length());
        }
        return first;
    }
}
