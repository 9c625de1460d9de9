package io.credproxy.daemon.redaction;

/**
 * A compressed response body that does not decode. The caller aborts the client connection:
 * bytes that could not be searched are never forwarded. The message names no content.
 */
public final class BodyDecodingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyDecodingException(String message) {
        super(message);
    }
}
