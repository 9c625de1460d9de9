package io.credproxy.daemon.admin;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.server.TransparentListeners;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.wire.ProxyIdentity;
import java.net.InetSocketAddress;

/**
 * {@code POST /transparent?app=APP&host=HOST&port=PORT}: the address of the transparent listener
 * whose connections are APP's CONNECTs to HOST:PORT ({@link TransparentListeners}), as one line
 * {@code ip:port} ({@code [v6]:port}).
 *
 * <p>The agent asks once per destination and caches the answer. The parameters come from a
 * semi-trusted process: the app is sanitised as in {@code Proxy-Authorization}, the host must be a
 * name or an IP literal (letters, digits, {@code . - _ :}, at most 253 characters) and the port
 * 1-65535, else 400 naming the parameter; 503 when the daemon has no listener left. Nothing about
 * the destination is judged here: every connection to the listener is, as a CONNECT would be.
 */
public final class TransparentEndpoint implements AdminEndpoint {
    private static final int MAX_HOST = 253;

    private final TransparentListeners listeners;

    public TransparentEndpoint(TransparentListeners listeners) {
        this.listeners = listeners;
    }

    @Override
    public AdminResponse handle(AdminRequest request) throws ConfigException {
        String host = request.queryParam("host");
        if (!isHost(host)) {
            return AdminResponse.text(400, "host: expected a host name or an IP literal\n");
        }
        int port;
        try {
            port = Integer.parseInt(String.valueOf(request.queryParam("port")));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            return AdminResponse.text(400, "port: expected 1-65535\n");
        }
        String app = ProxyIdentity.sanitizeApp(request.queryParam("app"));
        try {
            InetSocketAddress address = listeners.listenerFor(app, new HostPort(host, port));
            return AdminResponse.text(200, new HostPort(address.getAddress().getHostAddress(), address.getPort()) + "\n");
        } catch (TransparentListeners.LimitReachedException e) {
            return AdminResponse.text(503, e.getMessage() + "\n");
        }
    }

    static boolean isHost(String host) {
        if (host == null || host.isEmpty() || host.length() > MAX_HOST || host.startsWith("-") || host.startsWith(".")) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '-' || c == '_' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
