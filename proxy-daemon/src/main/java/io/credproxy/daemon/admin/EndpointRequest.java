package io.credproxy.daemon.admin;

/**
 * What an {@link Endpoint} needs of an admin request.
 *
 * @param method the HTTP method, upper case
 * @param body the whole request body; empty for none (the admin server caps its size, see
 *     {@link EventsEndpoint#MAX_BODY_BYTES})
 */
public record EndpointRequest(String method, byte[] body) {
    public EndpointRequest {
        method = method == null ? "" : method;
        body = body == null ? new byte[0] : body;
    }

    public static EndpointRequest get() {
        return new EndpointRequest("GET", null);
    }
}
