package io.credproxy.daemon.secrets;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable set of secret values by name, as loaded from the secrets file.
 *
 * <p>{@link #toString()} prints names only, so a stray log statement cannot leak a value.
 */
public final class Secrets {
    private final Map<String, String> values;
    private final String source;

    public Secrets(String source, Map<String, String> values) {
        this.source = source;
        this.values = Map.copyOf(values);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public Set<String> names() {
        return new TreeSet<>(values.keySet());
    }

    /** Where these came from (a path or {@code systemd-credential:NAME}), for messages. */
    public String source() {
        return source;
    }

    /**
     * These secrets and {@code more} (values the daemon must also never show, such as apps' tokens),
     * for a {@link Redactor}; names in {@code more} win.
     */
    public Secrets with(Map<String, String> more) {
        Map<String, String> all = new java.util.HashMap<>(values);
        all.putAll(more);
        return new Secrets(source, all);
    }

    /** Values for the redactor; package-private so only this package sees them whole. */
    Map<String, String> values() {
        return values;
    }

    @Override
    public String toString() {
        return "Secrets[source=" + source + ", names=" + names() + "]";
    }
}
