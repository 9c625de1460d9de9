package io.credproxy.daemon.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may use a rule's credentials, for which methods and paths: a rule's {@code apps},
 * {@code methods} and {@code paths} keys. An empty set means "any", so a rule without these keys
 * behaves as before they existed.
 *
 * <p>Methods compare case-sensitively, as RFC 9110 9.1 says they are: {@code get} is not
 * {@code GET} (a server that treats it as GET would otherwise get a method the rule never allowed).
 * {@code HEAD} is allowed wherever {@code GET} is: it is GET without the body and changes nothing.
 * Paths match the decoded, normalised path ({@link RequestPath}, {@link PathGlob}).
 *
 * @param apps the app names that may use the rule (empty: any app, the unknown one included)
 * @param methods the methods allowed, upper case (empty: any)
 * @param paths the path globs allowed (empty: any path, matched on nothing, so also not normalised)
 */
public record RuleScope(Set<String> apps, Set<String> methods, List<PathGlob> paths) {
    public static final RuleScope ANY = new RuleScope(Set.of(), Set.of(), List.of());

    public RuleScope {
        apps = Set.copyOf(new LinkedHashSet<>(apps == null ? Set.of() : apps));
        Set<String> upper = new LinkedHashSet<>();
        for (String m : methods == null ? Set.<String>of() : methods) {
            if (m == null || !Rule.TOKEN.matcher(m).matches()) {
                throw new IllegalArgumentException("invalid method '" + m + "'");
            }
            upper.add(m.toUpperCase(Locale.ROOT));
        }
        methods = Set.copyOf(upper);
        paths = List.copyOf(paths == null ? List.of() : paths);
    }

    public boolean admitsApp(String app) {
        return apps.isEmpty() || apps.contains(app);
    }

    /** @param method as the client sent it (case kept) */
    public boolean admitsMethod(String method) {
        return methods.isEmpty() || methods.contains(method) || (method.equals("HEAD") && methods.contains("GET"));
    }

    public boolean admitsPath(RequestPath path) {
        if (paths.isEmpty()) {
            return true;
        }
        for (PathGlob glob : paths) {
            if (glob.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the rule limits paths (then the request's path is normalised, and forwarded normalised). */
    public boolean scopesPaths() {
        return !paths.isEmpty();
    }

    public boolean isAny() {
        return apps.isEmpty() && methods.isEmpty() && paths.isEmpty();
    }

    /** {@code apps [a, b], methods [GET], paths [/x/**]}, or {@code any}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("apps " + (apps.isEmpty() ? "any" : sorted(apps)));
        parts.add("methods " + (methods.isEmpty() ? "any" : sorted(methods)));
        parts.add("paths " + (paths.isEmpty() ? "any" : paths));
        return String.join(", ", parts);
    }

    private static List<String> sorted(Set<String> set) {
        return set.stream().sorted().toList();
    }
}
