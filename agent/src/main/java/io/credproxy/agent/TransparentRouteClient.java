package io.credproxy.agent;

import io.credproxy.agent.bootstrap.DaemonAddress;
import io.credproxy.agent.bootstrap.DirectRule;
import io.credproxy.agent.bootstrap.TransparentRoutes;
import io.credproxy.protocol.config.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's transparent listeners for this app's destinations ({@code POST /transparent} on the
 * admin port), asked for once per destination and kept for {@value #TTL_MILLIS} ms.
 *
 * <p>The first connect to a destination waits for one admin exchange (about a millisecond on
 * loopback, at most {@value #TIMEOUT_MILLIS} ms per step); later ones cost a map look-up. The daemon
 * keeps a listener as long as it runs, so an answer stays right until it restarts; asking again after
 * the time-to-live bounds how long an answer from before a restart is used. At most
 * {@value #MAX_ENTRIES} destinations are kept (past that the cache starts over). Every listener
 * handed out is remembered, so that the fence knows a connect to one as forced, not direct.
 */
final class TransparentRouteClient implements TransparentRoutes {
    static final long TTL_MILLIS = 60_000;
    static final int TIMEOUT_MILLIS = 2_000;
    static final int MAX_ENTRIES = 4096;

    private final AdminClient admin;
    private final String app;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Set<InetSocketAddress> listeners = ConcurrentHashMap.newKeySet();

    private record Route(InetSocketAddress listener, long fetchedNanos) {}

    TransparentRouteClient(DaemonAddress adminAddress, String app) {
        this.admin = new AdminClient(adminAddress, TIMEOUT_MILLIS);
        this.app = app;
    }

    @Override
    public InetSocketAddress listenerFor(String host, int port) throws IOException {
        String key = host + " " + port;
        Route route = routes.get(key);
        long now = System.nanoTime();
        if (route != null && now - route.fetchedNanos() < TTL_MILLIS * 1_000_000) {
            return route.listener();
        }
        InetSocketAddress listener = ask(host, port);
        listeners.add(listener);
        if (routes.size() >= MAX_ENTRIES) {
            routes.clear();
        }
        routes.put(key, new Route(listener, now));
        return listener;
    }

    @Override
    public boolean isListener(byte[] address, int port) {
        if (listeners.isEmpty()) {
            return false;
        }
        try {
            return listeners.contains(new InetSocketAddress(InetAddress.getByAddress(address), port));
        } catch (IOException e) {
            return false;
        }
    }

    private InetSocketAddress ask(String host, int port) throws IOException {
        if (!isHost(host)) {
            // Never into a request line: a crafted unresolved address could carry CR LF or '&'.
            throw new IOException("not a host name or IP literal: " + AdminClient.printable(host, 120));
        }
        AdminClient.Response response = admin.post("/transparent?app=" + app + "&host=" + host + "&port=" + port,
                "text/plain", new byte[0]);
        String body = new String(response.body, StandardCharsets.US_ASCII).trim();
        if (response.status != 200) {
            throw new IOException("the daemon answered " + response.status + ": " + AdminClient.printable(body, 120));
        }
        try {
            HostPort listener = HostPort.parse(body);
            byte[] literal = DirectRule.literal(listener.host());
            if (literal == null) {
                throw new IllegalArgumentException("not an IP literal");
            }
            return new InetSocketAddress(InetAddress.getByAddress(literal), listener.port());
        } catch (IllegalArgumentException e) {
            throw new IOException("the daemon's answer is not an address: " + AdminClient.printable(body, 120));
        }
    }

    /** Letters, digits, {@code . - _ :} (the daemon's rule too), at most 253 characters. */
    static boolean isHost(String host) {
        if (host == null || host.isEmpty() || host.length() > 253) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_'
                    || c == ':')) {
                return false;
            }
        }
        return true;
    }
}
