package io.credproxy.daemon.server;

/** Lets tests outside the server package drive {@link ProxyStats} the way the server does. */
public final class ProxyStatsAccess {
    private ProxyStatsAccess() {}

    public static void open(ProxyStats stats, int connections) {
        for (int i = 0; i < connections; i++) {
            stats.clientOpened();
        }
    }

    public static void close(ProxyStats stats, int connections) {
        for (int i = 0; i < connections; i++) {
            stats.clientClosed();
        }
    }

    public static void error(ProxyStats stats, ProxyError kind) {
        stats.error(kind);
    }
}
