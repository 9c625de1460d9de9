package io.credproxy.daemon.testing;

import io.credproxy.daemon.admin.AdminRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Admin requests for calling an endpoint directly, without the admin server. */
public final class AdminCalls {
    private AdminCalls() {}

    public static AdminRequest get(String path) {
        return request("GET", path, new byte[0]);
    }

    public static AdminRequest post(String path, byte[] body) {
        return request("POST", path, body);
    }

    public static AdminRequest post(String path, String body) {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    private static AdminRequest request(String method, String path, byte[] body) {
        return new AdminRequest(method, path, Map.of(), Map.of(), body, "127.0.0.1:40000");
    }
}
