package io.credproxy.daemon.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener that must stay silent: it counts the connections it accepts (and closes them), so a
 * test can prove the daemon refused a destination before connecting to it, and, with the policy
 * opened, that the same destination is reached.
 */
final class SilentListener implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();

    private SilentListener(ServerSocket server) {
        this.server = server;
        Thread t = new Thread(this::acceptAll, "silent-listener-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** A listener on {@code address} (127.0.0.1 or ::1), ephemeral port. */
    static SilentListener on(String address) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 50);
        return new SilentListener(server);
    }

    int port() {
        return server.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                accepted.incrementAndGet();
            } catch (IOException e) {
                // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
