package io.credproxy.daemon.rules;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the daemon adds to requests bound for one destination.
 *
 * <p>A rule matches on the real destination (the CONNECT authority or the absolute-form URL),
 * never on a Host header. {@code host} is an exact name or {@code *.suffix} (any name below
 * suffix, not suffix itself); {@code port} narrows it, {@code null} means any port.
 *
 * @param host the destination host pattern, lower case
 * @param port the destination port, or {@code null} for any
 * @param headers headers set on every request (replacing any the client sent), by name
 * @param substitute placeholder text replaced in the request path (and the headers named in
 *     {@code substituteHeaders}); never in the query, other headers or a body, where the workload
 *     could steer the value to a place the upstream echoes or logs
 * @param allowPlaintext whether credentials may be added to plain {@code http://} requests; off by
 *     default because anyone on the path would read them
 * @param substituteHeaders header names (lower case) whose values get placeholders replaced too
 * @param allowPublicSuffix whether a wildcard may cover a public suffix ({@code *.workers.dev});
 *     off by default because anyone can register a name below one
 * @param scope which apps may use the credentials, for which methods and paths ({@link RuleScope#ANY}: all)
 */
public record Rule(
        String host,
        Integer port,
        Map<String, SecretTemplate> headers,
        Map<String, SecretTemplate> substitute,
        boolean allowPlaintext,
        Set<String> substituteHeaders,
        boolean allowPublicSuffix,
        RuleScope scope) {

    /** Shortest placeholder accepted: a short one would match ordinary text in paths. */
    public static final int MIN_PLACEHOLDER_LENGTH = 6;

    private static final Pattern HOST =
            Pattern.compile("(\\*\\.)?[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?|[0-9a-f:.]+");
    /** An HTTP token (RFC 9110 5.6.2): header names and methods. */
    static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public Rule {
        Objects.requireNonNull(host, "host");
        host = host.trim().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("invalid host pattern '" + host + "'");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port out of range 1-65535: " + port);
        }
        headers = Map.copyOf(new LinkedHashMap<>(headers == null ? Map.of() : headers));
        substitute = Map.copyOf(new LinkedHashMap<>(substitute == null ? Map.of() : substitute));
        for (String name : headers.keySet()) {
            if (!TOKEN.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid header name '" + name + "'");
            }
        }
        for (String placeholder : substitute.keySet()) {
            if (placeholder.length() < MIN_PLACEHOLDER_LENGTH || !placeholder.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("placeholder '" + placeholder + "' must be at least "
                        + MIN_PLACEHOLDER_LENGTH + " printable ASCII characters without spaces");
            }
        }
        if (headers.isEmpty() && substitute.isEmpty()) {
            throw new IllegalArgumentException("rule for " + host + " has neither headers nor substitute");
        }
        Set<String> optedIn = new LinkedHashSet<>();
        for (String name : substituteHeaders == null ? Set.<String>of() : substituteHeaders) {
            if (!TOKEN.matcher(name).matches() || name.equalsIgnoreCase("Host")) {
                throw new IllegalArgumentException("substitute_headers: invalid header name '" + name + "'");
            }
            optedIn.add(name.toLowerCase(Locale.ROOT));
        }
        if (!optedIn.isEmpty() && substitute.isEmpty()) {
            throw new IllegalArgumentException("substitute_headers without substitute");
        }
        substituteHeaders = Set.copyOf(optedIn);
        scope = scope == null ? RuleScope.ANY : scope;
    }

    /** A rule any app may use for any method and path, substituting in the path only, off public suffixes. */
    public Rule(String host, Integer port, Map<String, SecretTemplate> headers, Map<String, SecretTemplate> substitute,
            boolean allowPlaintext) {
        this(host, port, headers, substitute, allowPlaintext, Set.of(), false, RuleScope.ANY);
    }

    /** A rule narrowed to {@code scope}, substituting in the path only, off public suffixes. */
    public Rule(String host, Integer port, Map<String, SecretTemplate> headers, Map<String, SecretTemplate> substitute,
            boolean allowPlaintext, RuleScope scope) {
        this(host, port, headers, substitute, allowPlaintext, Set.of(), false, scope);
    }

    /** A rule any app may use for any method and path. */
    public Rule(String host, Integer port, Map<String, SecretTemplate> headers, Map<String, SecretTemplate> substitute,
            boolean allowPlaintext, Set<String> substituteHeaders, boolean allowPublicSuffix) {
        this(host, port, headers, substitute, allowPlaintext, substituteHeaders, allowPublicSuffix, RuleScope.ANY);
    }

    /** Whether this rule's pattern covers the (normalized) destination. */
    public boolean matches(String destinationHost, int destinationPort) {
        if (port != null && port != destinationPort) {
            return false;
        }
        if (isWildcard()) {
            String suffix = host.substring(1); // ".example.com"
            return destinationHost.endsWith(suffix) && destinationHost.length() > suffix.length();
        }
        return host.equals(destinationHost);
    }

    public boolean isWildcard() {
        return host.startsWith("*.");
    }

    /** Every secret name this rule refers to, in order. */
    public Set<String> secretNames() {
        Set<String> names = new LinkedHashSet<>();
        headers.values().forEach(t -> names.addAll(t.secretNames()));
        substitute.values().forEach(t -> names.addAll(t.secretNames()));
        return names;
    }

    /** {@code host} or {@code host:port}, for messages and reports. */
    public String destination() {
        return port == null ? host : host + ":" + port;
    }
}
