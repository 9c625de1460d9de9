package io.credproxy.daemon.redaction;

/**
 * A response body in a content coding the redactor cannot decode ({@code br}, {@code zstd},
 * {@code compress}, an unknown name, or several codings stacked): it cannot be searched, so not one
 * byte of it may reach the client.
 *
 * <p>The caller should prevent it by sending {@code Accept-Encoding: gzip, deflate, identity} on
 * exchanges that carry a secret, and when an upstream answers with another coding anyway, answer 502
 * with {@code Proxy-Status: credproxy; error=http_response_content_coding} (RFC 9209) and this
 * message as details. The message names the coding, never body content.
 */
public final class UnsupportedContentEncodingException extends Exception {
    private static final long serialVersionUID = 1L;

    UnsupportedContentEncodingException(String message) {
        super(message);
    }
}
