package io.credproxy.agent.bootstrap;

/**
 * Where the agent reports what it did, for the daemon's per-app reports.
 *
 * <p>Implementations are called on application threads, inside connects and class loading: they
 * must return at once, never block, never throw and never do I/O on the caller's thread.
 */
public interface AgentEvents {
    /** Reports nothing. */
    AgentEvents NONE = new AgentEvents() {
        @Override
        public void instrumented(String client) {}

        @Override
        public void instrumentationFailed(String client, String hook) {}

        @Override
        public void socketTunneled(String client, String host, int port, String frame) {}

        @Override
        public void socketBlocked(String client, String host, int port, String frame) {}
    };

    /** A client library ({@code okhttp}, {@code jdk-httpclient}, ...) was instrumented: every hook it needs is woven. */
    void instrumented(String client);

    /**
     * A hook of {@code client} could not be woven ({@code hook}: the type and method it looked for):
     * the client is not instrumented, and only the socket fence stands behind it.
     */
    void instrumentationFailed(String client, String hook);

    /** A raw socket connect to {@code host:port} was carried through a CONNECT to the daemon. */
    void socketTunneled(String client, String host, int port, String frame);

    /** A raw socket connect to {@code host:port} was refused. */
    void socketBlocked(String client, String host, int port, String frame);

    /**
     * A native library that opens its own connections ({@code library}: its name) was refused at
     * {@code frame}; reported as an instrumentation failure of client {@code native:LIBRARY}, since
     * that is what it is: a client the agent cannot force, which the application then does without.
     */
    default void nativeLibraryRefused(String library, String frame) {
        instrumentationFailed("native:" + library, "refused to load lib" + library + (frame == null ? "" : " at " + frame));
    }
}
