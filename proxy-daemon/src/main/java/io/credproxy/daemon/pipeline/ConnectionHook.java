package io.credproxy.daemon.pipeline;

/**
 * Hook 1: a client connected to the proxy port and its address is known.
 *
 * <p>Runs before anything is read. Per-connection facts (a peer's identity, a counter) belong in
 * {@link Connection#attr}, where every later hook of every exchange on the connection sees them.
 */
public interface ConnectionHook extends Stage {
    /**
     * @return {@code false} to close the connection at once (nothing is answered); a hook that
     *     throws closes it too
     */
    boolean onConnectionOpened(Connection connection);

    /** The connection closed (also after a refusal). Must not throw. */
    default void onConnectionClosed(Connection connection) {}
}
