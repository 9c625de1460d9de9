package io.credproxy.daemon.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A configured value with {@code ${SECRET_NAME}} references, such as {@code "Bearer ${CF_TOKEN}"}.
 *
 * <p>The template itself never holds a secret: only names. {@code $${} writes a literal
 * {@code ${}. Rendering asks a lookup for each name; the result is the only place a value appears.
 */
public final class SecretTemplate {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String source;
    /** Literal text and secret names, alternating: even indexes are literals, odd are names. */
    private final List<String> parts;
    private final Set<String> secretNames;

    private SecretTemplate(String source, List<String> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
        Set<String> names = new LinkedHashSet<>();
        for (int i = 1; i < parts.size(); i += 2) {
            names.add(parts.get(i));
        }
        this.secretNames = Collections.unmodifiableSet(names);
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException for an unclosed {@code ${} or an invalid name
     */
    public static SecretTemplate parse(String text) {
        Objects.requireNonNull(text, "template");
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed '${' in \"" + text + "\"");
                }
                String name = text.substring(i + 2, end);
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("invalid secret name '" + name + "' in \"" + text + "\"");
                }
                parts.add(literal.toString());
                literal.setLength(0);
                parts.add(name);
                i = end + 1;
            } else {
                literal.append(text.charAt(i));
                i++;
            }
        }
        parts.add(literal.toString());
        return new SecretTemplate(text, parts);
    }

    /** The names this template refers to, in order of first use. */
    public Set<String> secretNames() {
        return secretNames;
    }

    /**
     * Fills in every reference.
     *
     * @param lookup returns a secret's value by name; it must not return null for a name in
     *     {@link #secretNames()}
     */
    public String render(Function<String, String> lookup) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 0) {
                out.append(parts.get(i));
            } else {
                String value = lookup.apply(parts.get(i));
                if (value == null) {
                    throw new IllegalStateException("no value for secret " + parts.get(i));
                }
                out.append(value);
            }
        }
        return out.toString();
    }

    /** The template as written: names only, safe to print. */
    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretTemplate other && other.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }
}
