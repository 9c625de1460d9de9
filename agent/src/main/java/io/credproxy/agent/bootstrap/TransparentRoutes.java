package io.credproxy.agent.bootstrap;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Where a connect the agent cannot run a CONNECT handshake in (non-blocking, asynchronous, native)
 * goes instead: the daemon's transparent listener for its destination, which handles each connection
 * as a CONNECT by this app to that destination.
 *
 * <p>Implemented outside the bootstrap package (it asks the daemon's admin port and caches the
 * answers) and installed in {@link AgentContext}.
 */
public interface TransparentRoutes {
    /** No routes: every forced connect fails (the agent is not running, or in unit tests). */
    TransparentRoutes NONE = new TransparentRoutes() {
        @Override
        public InetSocketAddress listenerFor(String host, int port) throws IOException {
            throw new IOException("no daemon to ask");
        }

        @Override
        public boolean isListener(byte[] address, int port) {
            return false;
        }
    };

    /**
     * The daemon's listener for {@code host:port} (the name or IP literal the application asked for).
     * May block for one exchange with the daemon the first time a destination is asked for.
     *
     * @throws IOException when the daemon cannot be asked or refuses
     */
    InetSocketAddress listenerFor(String host, int port) throws IOException;

    /** Whether {@code address:port} is a listener the daemon handed out (a forced connect, exempt from the fence). */
    boolean isListener(byte[] address, int port);
}
