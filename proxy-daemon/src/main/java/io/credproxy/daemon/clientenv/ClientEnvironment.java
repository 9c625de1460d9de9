package io.credproxy.daemon.clientenv;

import io.credproxy.protocol.config.HostPort;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The variables that send a non-Java runtime (curl, Python, Node, git, pip, the AWS SDKs) and a JVM
 * (through the agent) through the daemon, trusting its CA.
 *
 * <p>Two CA files, because clients differ: some <em>add</em> a file to their built-in roots
 * ({@code NODE_EXTRA_CA_CERTS}: the daemon's CA alone), most <em>replace</em> their roots with the
 * file they are given ({@code SSL_CERT_FILE}, {@code REQUESTS_CA_BUNDLE}, {@code CURL_CA_BUNDLE},
 * {@code GIT_SSL_CAINFO}, {@code PIP_CERT}, {@code AWS_CA_BUNDLE}: the bundle of system roots plus
 * the daemon's CA, so hosts without a rule, which the daemon tunnels untouched, still verify).
 *
 * <p>The app name rides in the proxy URL's user part ({@code http://tito:credproxy@127.0.0.1:18080});
 * clients send it as {@code Proxy-Authorization: Basic}. The password is a fixed, meaningless word
 * (the daemon ignores it) that must be there: without one git asks for it on the terminal, and
 * Node's {@code fetch} (and Python {@code requests} for {@code http://tito@...}) send no
 * {@code Proxy-Authorization} at all. git sends it only with {@code http.proxyAuthMethod=basic}, set
 * through {@code GIT_CONFIG_COUNT}: otherwise it waits for a 407 the daemon never sends. Every value
 * is checked here so that no format has to quote a control character.
 *
 * @param proxy where clients connect (the daemon's {@code listen}, a wildcard made loopback)
 * @param admin the daemon's admin address (the agent's CA and events)
 * @param app the app name reports show; letters, digits, {@code . _ -}
 * @param caFile the daemon's CA alone
 * @param bundleFile system roots plus the daemon's CA
 * @param agentJar the java agent, or {@code null} to leave {@code JAVA_TOOL_OPTIONS} out
 */
public record ClientEnvironment(HostPort proxy, HostPort admin, String app, Path caFile, Path bundleFile, Path agentJar) {
    /** What {@code ProxyIdentity} keeps of an app name; anything else would be changed in reports. */
    private static final Pattern APP = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** A host name or an IP literal (IPv6 with a zone); nothing a URL or a shell would read otherwise. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]{1,253}");
    /** Loopback clients reach the daemon directly; everything else goes through it. */
    static final String NO_PROXY = "localhost,127.0.0.1,::1";
    /** The proxy URL's password: not a secret, the daemon ignores it (see the class comment). */
    static final String PROXY_PASSWORD = "credproxy";

    public ClientEnvironment {
        requireHost("proxy", proxy);
        requireHost("admin", admin);
        requireApp(app);
        requirePrintable("CA file", caFile.toString());
        requirePrintable("CA bundle", bundleFile.toString());
        if (agentJar != null) {
            requireAgentPath(agentJar.toString());
        }
    }

    /**
     * Checks an app name.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static String requireApp(String app) {
        if (app == null || !APP.matcher(app).matches()) {
            throw new IllegalArgumentException("app name '" + printable(app) + "' may hold only letters, digits, '.', '_' and '-'"
                    + " (1 to 64): it goes into a proxy URL and into every client's environment");
        }
        return app;
    }

    private static void requireHost(String what, HostPort address) {
        if (!HOST.matcher(address.host()).matches()) {
            throw new IllegalArgumentException(what + " host '" + printable(address.host()) + "' is not a host name or an IP address");
        }
    }

    private static void requirePrintable(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(what + " path '" + printable(value) + "' holds a control character"
                        + " (a newline?): no environment file can carry it");
            }
        }
    }

    /** JAVA_TOOL_OPTIONS splits at white space, and the agent's options start at the first '='. */
    private static void requireAgentPath(String path) {
        requirePrintable("agent jar", path);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isWhitespace(c) || c == '=' || c == ',' || c == '"' || c == '\'') {
                throw new IllegalArgumentException("agent jar path '" + path + "' holds '" + c
                        + "', which JAVA_TOOL_OPTIONS (split at spaces; options after '=') cannot carry; install the jar elsewhere");
            }
        }
    }

    private static String printable(String s) {
        return s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
    }

    /** The variables, in the order they are printed. */
    public Map<String, String> variables() {
        String proxyUrl = "http://" + app + ":" + PROXY_PASSWORD + "@" + proxy;
        String ca = caFile.toString();
        String bundle = bundleFile.toString();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("HTTPS_PROXY", proxyUrl);
        v.put("HTTP_PROXY", proxyUrl);
        v.put("https_proxy", proxyUrl); // curl reads http_proxy only in lower case; some tools only these
        v.put("http_proxy", proxyUrl);
        v.put("NO_PROXY", NO_PROXY);
        v.put("no_proxy", NO_PROXY);
        v.put("SSL_CERT_FILE", bundle);            // OpenSSL's default roots: Python ssl, httpx, Ruby, ...
        v.put("REQUESTS_CA_BUNDLE", bundle);       // Python requests (its own certifi roots otherwise)
        v.put("CURL_CA_BUNDLE", bundle);           // curl
        v.put("NODE_EXTRA_CA_CERTS", ca);          // Node adds this to its built-in roots
        v.put("NODE_USE_ENV_PROXY", "1");          // Node 24+: honour HTTPS_PROXY (older Node ignores it)
        v.put("GIT_SSL_CAINFO", bundle);
        v.put("GIT_CONFIG_COUNT", "1");            // git: send the app name without waiting for a 407
        v.put("GIT_CONFIG_KEY_0", "http.proxyAuthMethod");
        v.put("GIT_CONFIG_VALUE_0", "basic");
        v.put("PIP_CERT", bundle);
        v.put("AWS_CA_BUNDLE", bundle);
        if (agentJar != null) {
            v.put("JAVA_TOOL_OPTIONS", "-javaagent:" + agentJar + "=proxy=" + proxy + ",admin="
                    + admin + ",app=" + app);
        }
        return v;
    }
}
