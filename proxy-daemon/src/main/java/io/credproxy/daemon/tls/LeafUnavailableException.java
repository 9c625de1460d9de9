package io.credproxy.daemon.tls;

import javax.net.ssl.SSLException;

/**
 * No leaf certificate could be had for an intercepted host: its mint failed, or too many mints were
 * already waiting ({@link LeafMinter#MAX_WAITING}).
 *
 * <p>An {@link SSLException} because that is what it ends: the client's handshake, before the daemon
 * sent a byte of it. Netty's {@code ApplicationProtocolNegotiationHandler} hands exactly such causes
 * to {@code handshakeFailure}, where the daemon records them. The message names the host and the
 * kind of failure only.
 */
public final class LeafUnavailableException extends SSLException {
    private static final long serialVersionUID = 1L;

    LeafUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
