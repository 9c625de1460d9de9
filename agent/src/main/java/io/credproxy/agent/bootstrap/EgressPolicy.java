package io.credproxy.agent.bootstrap;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.List;
import java.util.Locale;

/**
 * Where this JVM's traffic may go: through the daemon, or direct to an exempt destination.
 *
 * <p>Immutable; built once at start from the agent options. The proxy and admin addresses are always
 * exempt (compared by address and port), whatever {@code direct=} says, so that the clients the agent
 * forces to the daemon can reach it. Nothing here uses {@code InetAddress} before the first connect
 * (see {@link DaemonAddress}).
 */
public final class EgressPolicy {
    /** What happens to a raw socket connect to a destination that is not exempt. */
    public enum SocketMode {
        /** Carried through an HTTP CONNECT to the daemon. */
        TUNNEL,
        /** Refused with a {@link java.net.ConnectException}. */
        BLOCK
    }

    private final DaemonAddress proxy;
    private final DaemonAddress admin;
    private final List<DirectRule> direct;
    private final SocketMode sockets;
    private final String app;
    private final String proxyAuthorization;
    private volatile Proxy httpProxy;

    /**
     * @param proxy the daemon's proxy port
     * @param admin the daemon's admin port
     * @param direct the exempt destinations
     * @param sockets raw-socket handling
     * @param app the app name (for events)
     * @param proxyAuthorization the {@code Proxy-Authorization} value every proxied request carries
     */
    public EgressPolicy(DaemonAddress proxy, DaemonAddress admin, List<DirectRule> direct, SocketMode sockets,
            String app, String proxyAuthorization) {
        this.proxy = proxy;
        this.admin = admin;
        this.direct = List.copyOf(direct);
        this.sockets = sockets;
        this.app = app;
        this.proxyAuthorization = proxyAuthorization;
    }

    /** The daemon's proxy port. */
    public InetSocketAddress proxy() {
        return proxy.socketAddress();
    }

    /** The daemon's admin port. */
    public DaemonAddress admin() {
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
        Proxy known = httpProxy;
        if (known == null) {
            known = new Proxy(Proxy.Type.HTTP, proxy.socketAddress());
            httpProxy = known;
        }
        return known;
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
            byte[] address = destination.getAddress().getAddress();
            if (proxy.is(address, destination.getPort()) || admin.is(address, destination.getPort())
                    || AgentContext.routes().isListener(address, destination.getPort())) {
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
        return literal != null && (proxy.is(literal, port) || admin.is(literal, port));
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
