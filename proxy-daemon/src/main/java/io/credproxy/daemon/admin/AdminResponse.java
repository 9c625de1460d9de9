package io.credproxy.daemon.admin;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What an admin endpoint answers.
 *
 * @param status HTTP status code
 * @param contentType the Content-Type header
 * @param body the body
 * @param headers extra headers
 */
public record AdminResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String JSON = "application/json";

    public AdminResponse {
        headers = Map.copyOf(headers);
    }

    public static AdminResponse of(int status, String contentType, byte[] body) {
        return new AdminResponse(status, contentType, body, Map.of());
    }

    public static AdminResponse text(int status, String text) {
        return of(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public static AdminResponse json(String json) {
        return of(200, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The body as UTF-8 text, for tests and logs. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
