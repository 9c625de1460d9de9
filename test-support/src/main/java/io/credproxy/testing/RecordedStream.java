package io.credproxy.testing;

import java.util.List;
import java.util.Map;

/**
 * What {@link RecordingH2Upstream} received on one request: the protocol the connection spoke
 * ({@code h2} or {@code http/1.1}), the pseudo-headers (or request line and Host), the other
 * headers by lower-case name, the body's size, the trailers, the TLS server name and which of the
 * upstream's connections carried it (numbered from 1 in accept order).
 */
public record RecordedStream(String protocol, String method, String path, String authority,
        Map<String, List<String>> headers, long bodyBytes, Map<String, List<String>> trailers, String sniHost,
        int connection) {

    /** All values of a header (lower-case name); empty when absent. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
    }

    /** The single value of a header, or {@code null}. */
    public String firstHeader(String name) {
        List<String> values = header(name);
        return values.isEmpty() ? null : values.get(0);
    }
}
