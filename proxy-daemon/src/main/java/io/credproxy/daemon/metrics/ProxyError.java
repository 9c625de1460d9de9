package io.credproxy.daemon.metrics;

/**
 * The kinds of failure the proxy counts (the {@code kind} label of {@code credproxy_errors_total}).
 *
 * <p>A small fixed set, so the metric's series stay few. A failure with a destination also has its
 * audit event (decision {@code error}); a bad request has none, since it never named a destination
 * the daemon could record.
 */
public enum ProxyError {
    /** A client's TLS handshake with the daemon's leaf certificate failed (often: the client does not trust the CA). */
    TLS_HANDSHAKE("tls_handshake"),
    /** The upstream could not be reached: unknown host, refused, unroutable. */
    UPSTREAM_CONNECT("upstream_connect"),
    /** The upstream's TLS failed: untrusted or mismatched certificate, protocol error. */
    UPSTREAM_TLS("upstream_tls"),
    /** The upstream broke off or answered with something that is not HTTP, before or during its response. */
    UPSTREAM_RESPONSE("upstream_response"),
    /** Connecting, the TLS handshake or the response head took too long (504). */
    TIMEOUT("timeout"),
    /** The client sent something the proxy cannot serve: malformed, oversized, or not a proxy request. */
    BAD_REQUEST("bad_request");

    private final String metricName;

    ProxyError(String metricName) {
        this.metricName = metricName;
    }

    /** The label value. */
    public String metricName() {
        return metricName;
    }
}
