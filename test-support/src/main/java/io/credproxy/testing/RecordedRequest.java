package io.credproxy.testing;

import java.util.List;
import java.util.Map;

/**
 * What the test upstream received: method, raw URI (path and query), headers by lower-case name,
 * body size, and the TLS server name the client asked for (SNI; {@code null} on plain HTTP or
 * when none was sent).
 */
public record RecordedRequest(
        String method, String uri, Map<String, List<String>> headers, long bodyBytes, String sniHost, int localPort) {

    /** All values of a header (case-insensitive name); empty when absent. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
    }

    /** The single value of a header, or {@code null}. */
    public String firstHeader(String name) {
        List<String> values = header(name);
        return values.isEmpty() ? null : values.get(0);
    }
}
