package io.credproxy.daemon.egress;

/**
 * A request host that no well-behaved client sends; the proxy answers 400 and connects nowhere.
 *
 * <p>The message says what is wrong without quoting the host (it is the client's text).
 */
public final class InvalidHostException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidHostException(String message) {
        super(message);
    }
}
