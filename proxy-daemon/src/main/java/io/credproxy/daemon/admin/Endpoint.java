package io.credproxy.daemon.admin;

/**
 * The logic behind one admin route, free of any HTTP server: the admin server turns a request into
 * an {@link EndpointRequest} and writes back the {@link EndpointResponse}.
 *
 * <p>Implementations never throw for bad input (they answer 4xx) and hold no secret values.
 */
@FunctionalInterface
public interface Endpoint {
    EndpointResponse handle(EndpointRequest request);
}
