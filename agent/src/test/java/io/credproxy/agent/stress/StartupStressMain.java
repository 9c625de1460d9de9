package io.credproxy.agent.stress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The application of {@link AgentStartupStressIT}: as small as a JVM start gets, plus, when given a
 * port, one socket connect to it (exempt: the daemon's admin port), so that the start also weaves the
 * socket fence as its classes load.
 */
public final class StartupStressMain {
    private StartupStressMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length > 0) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 5_000);
            }
        }
        System.out.println("started");
    }
}
