package io.credproxy.agent.bootstrap;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.List;
import java.util.Locale;

/**
 * Where this JVM's traffic may go: through the daemon, or direct to an exempt destination.
 *
 * <p>Immutable; built once at start from the agent options. The proxy and admin addresses are always
 * exempt (compared by resolved address and port), whatever {@code direct=} says, so that the
 * clients the agent forces to the daemon can reach it.
 */
public final class EgressPolicy {
    /** What happens to a raw socket connect to a destination that is not exempt. */
    public enum SocketMode {
        /** Carried through an HTTP CONNECT to the daemon. */
        TUNNEL,
        /** Refused with a {@link java.net.ConnectException}. */
        BLOCK
    }

    private final InetSocketAddress proxy;
    private final InetSocketAddress admin;
    private final List<DirectRule> direct;
    private final SocketMode sockets;
    private final String app;
    private final String proxyAuthorization;
    private final Proxy httpProxy;

    /**
     * @param proxy the daemon's proxy port, resolved
     * @param admin the daemon's admin port, resolved
     * @param direct the exempt destinations
     * @param sockets raw-socket handling
     * @param app the app name (for events)
     * @param proxyAuthorization the {@code Proxy-Authorization} value every proxied request carries
     */
    public EgressPolicy(InetSocketAddress proxy, InetSocketAddress admin, List<DirectRule> direct, SocketMode sockets,
            String app, String proxyAuthorization) {
        if (proxy.isUnresolved() || admin.isUnresolved()) {
            throw new IllegalArgumentException("proxy and admin addresses must be resolved");
        }
        this.proxy = proxy;
        this.admin = admin;
        this.direct = List.copyOf(direct);
        this.sockets = sockets;
        this.app = app;
        this.proxyAuthorization = proxyAuthorization;
        this.httpProxy = new Proxy(Proxy.Type.HTTP, proxy);
    }

    public InetSocketAddress proxy() {
        return proxy;
    }

    public InetSocketAddress admin() {
        return admin;
    }

    public SocketMode sockets() {
        return sockets;
    }

    public String app() {
        return app;
    }

    public String proxyAuthorization() {
        return proxyAuthorization;
    }

    /** The daemon as a {@link Proxy} for HTTP clients. */
    public Proxy httpProxy() {
        return httpProxy;
    }

    public List<DirectRule> direct() {
        return direct;
    }

    /**
     * Whether a raw connection to {@code destination} may go direct: the daemon's own addresses, or a
     * {@code direct=} rule matching the name (or literal) the application asked for.
     */
    public boolean isExempt(InetSocketAddress destination) {
        if (!destination.isUnresolved()) {
            int port = destination.getPort();
            if (port == proxy.getPort() && destination.getAddress().equals(proxy.getAddress())
                    || port == admin.getPort() && destination.getAddress().equals(admin.getAddress())) {
                return true;
            }
        }
        return isExemptHost(destination.getHostString(), destination.getPort());
    }

    /** Whether a request to {@code host:port} (a URL's host: a name or an IP literal) may go direct. */
    public boolean isExemptHost(String host, int port) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        for (DirectRule rule : direct) {
            if (rule.matches(host, port)) {
                return true;
            }
        }
        byte[] literal = DirectRule.literal(host);
        if (literal != null) {
            if (port == proxy.getPort() && java.util.Arrays.equals(literal, proxy.getAddress().getAddress())
                    || port == admin.getPort() && java.util.Arrays.equals(literal, admin.getAddress().getAddress())) {
                return true;
            }
        }
        return false;
    }

    /** The default port of a URL scheme, for URLs that name none. */
    public static int defaultPort(String scheme) {
        if (scheme == null) {
            return -1;
        }
        switch (scheme.toLowerCase(Locale.ROOT)) {
            case "http":
            case "ws":
                return 80;
            case "https":
            case "wss":
                return 443;
            default:
                return -1;
        }
    }
}
