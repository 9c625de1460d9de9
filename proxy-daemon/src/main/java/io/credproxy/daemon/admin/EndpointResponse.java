package io.credproxy.daemon.admin;

import java.nio.charset.StandardCharsets;

/**
 * What the admin server sends back: status, {@code Content-Type} and body.
 *
 * @param allow for a 405, the value of the {@code Allow} header; {@code null} otherwise
 */
public record EndpointResponse(int status, String contentType, byte[] body, String allow) {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    public static EndpointResponse json(int status, byte[] body) {
        return new EndpointResponse(status, JSON, body, null);
    }

    /** A short plain-text answer, with a trailing newline. */
    public static EndpointResponse text(int status, String message) {
        return new EndpointResponse(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8), null);
    }

    public static EndpointResponse methodNotAllowed(String allow) {
        return new EndpointResponse(405, TEXT, ("method not allowed; use " + allow + "\n").getBytes(StandardCharsets.UTF_8), allow);
    }

    /** The body as UTF-8 text, for tests and logs. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
