package io.credproxy.daemon.admin;

/** {@code GET /healthz}: 200 {@code ok} while the daemon serves. */
public final class HealthEndpoint implements AdminEndpoint {
    @Override
    public AdminResponse handle(AdminRequest request) {
        return AdminResponse.text(200, "ok\n");
    }
}
