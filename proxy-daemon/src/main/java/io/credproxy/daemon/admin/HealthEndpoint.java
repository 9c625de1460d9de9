package io.credproxy.daemon.admin;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: 200 {@code ok} while the proxy can take new clients, else 503 with one line
 * per problem (listener down, connection limit reached, descriptors nearly exhausted, an event loop
 * stalled, shutting down), so that a supervisor restarts a daemon that only looks alive.
 */
public final class HealthEndpoint implements AdminEndpoint {
    private final Supplier<List<String>> problems;

    /** @param problems what keeps the proxy from serving now; empty when healthy */
    public HealthEndpoint(Supplier<List<String>> problems) {
        this.problems = problems;
    }

    /** Always healthy (an admin port without a proxy: tests, tools). */
    public HealthEndpoint() {
        this(List::of);
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        List<String> now = problems.get();
        if (now.isEmpty()) {
            return AdminResponse.text(200, "ok\n");
        }
        return AdminResponse.text(503, "unhealthy: " + String.join("; ", now) + "\n");
    }
}
