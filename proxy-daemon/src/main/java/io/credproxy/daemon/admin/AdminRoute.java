package io.credproxy.daemon.admin;

import java.util.Locale;
import java.util.Objects;

/**
 * One admin route: a method, an exact path and the endpoint that answers it.
 *
 * @param method the HTTP method, e.g. {@code GET} (stored upper case)
 * @param path the exact path, starting with {@code /}
 * @param endpoint what answers
 */
public record AdminRoute(String method, String path, AdminEndpoint endpoint) {
    public AdminRoute {
        method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(endpoint, "endpoint");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("admin path must start with '/': " + path);
        }
    }

    public static AdminRoute get(String path, AdminEndpoint endpoint) {
        return new AdminRoute("GET", path, endpoint);
    }

    public static AdminRoute post(String path, AdminEndpoint endpoint) {
        return new AdminRoute("POST", path, endpoint);
    }
}
