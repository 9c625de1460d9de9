package io.credproxy.daemon.admin;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request to the admin port, read whole (bodies are capped at {@value AdminServer#MAX_BODY_BYTES} bytes).
 *
 * @param method upper-case method
 * @param path the path, without query
 * @param query decoded query parameters
 * @param headers header values by lower-case name
 * @param body the request body, empty when none
 * @param remoteAddress the client's {@code ip:port}
 * @param peer the client's socket address; {@code null} when unknown
 * @param local the admin port's address of this connection; {@code null} when unknown
 */
public record AdminRequest(
        String method,
        String path,
        Map<String, List<String>> query,
        Map<String, List<String>> headers,
        byte[] body,
        String remoteAddress,
        InetSocketAddress peer,
        InetSocketAddress local) {

    /** A request whose socket addresses are unknown (tests). */
    public AdminRequest(String method, String path, Map<String, List<String>> query, Map<String, List<String>> headers,
            byte[] body, String remoteAddress) {
        this(method, path, query, headers, body, remoteAddress, null, null);
    }

    /** The first value of a query parameter, or {@code null}. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of a header (any case), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
