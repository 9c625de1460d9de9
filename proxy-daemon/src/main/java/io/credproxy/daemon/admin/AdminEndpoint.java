package io.credproxy.daemon.admin;

/**
 * One admin endpoint ({@code /ca.pem}, {@code /healthz}, {@code /metrics}, {@code /report},
 * {@code POST /events}, ...), registered on the {@link AdminRouter} by path and method.
 *
 * <p>Runs on the admin executor, not on a network event loop, so it may take a few milliseconds;
 * it must still not block for long. An exception becomes a 500 whose body names no details.
 */
@FunctionalInterface
public interface AdminEndpoint {
    AdminResponse handle(AdminRequest request) throws Exception;
}
