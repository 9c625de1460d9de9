package io.credproxy.daemon.admin;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin port's routes: an exact path and a method to an {@link AdminEndpoint}.
 *
 * <p>Endpoints can be added while the daemon runs (thread-safe). Routing answers 404 for an
 * unknown path and 405 (with {@code Allow}) for a known path with another method.
 */
public final class AdminRouter {
    private final Map<String, Map<String, AdminEndpoint>> routes = new ConcurrentHashMap<>();

    /**
     * Registers {@code endpoint} for {@code method} (e.g. {@code GET}) on {@code path} (e.g.
     * {@code /metrics}), replacing any endpoint registered there before.
     */
    public AdminRouter register(String method, String path, AdminEndpoint endpoint) {
        return register(new AdminRoute(method, path, endpoint));
    }

    /** Registers a route, replacing any endpoint registered for its method and path before. */
    public AdminRouter register(AdminRoute route) {
        routes.computeIfAbsent(route.path(), p -> new ConcurrentHashMap<>()).put(route.method(), route.endpoint());
        return this;
    }

    /** Registers every route of {@code list}, in order. */
    public AdminRouter registerAll(List<AdminRoute> list) {
        list.forEach(this::register);
        return this;
    }

    /** What a request to {@code path} with {@code method} finds. */
    Route route(String method, String path) {
        Map<String, AdminEndpoint> byMethod = routes.get(path);
        if (byMethod == null) {
            return new Route(null, Set.of());
        }
        AdminEndpoint endpoint = byMethod.get(method.toUpperCase(Locale.ROOT));
        return new Route(endpoint, new TreeSet<>(byMethod.keySet()));
    }

    /**
     * @param endpoint the endpoint, or {@code null} when none matches
     * @param allowed the methods the path has (empty: unknown path)
     */
    record Route(AdminEndpoint endpoint, Set<String> allowed) {}
}
