package io.credproxy.agent.bootstrap;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;

/**
 * What woven Vert.x code calls, reached by reflection as in {@link OkHttpHooks}; looked up once per
 * class. Never throws: should it fail, the client connects as configured, and that connect is forced
 * to a transparent listener by the Netty transport hooks.
 */
public final class VertxHooks {
    private static final ClassValue<Api> API = new ClassValue<Api>() {
        @Override
        protected Api computeValue(Class<?> address) {
            try {
                return new Api(address);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    private VertxHooks() {}

    /**
     * Hook at the returns of {@code HttpClientBase.computeProxyOptions(options, server)}, which every
     * HTTP and WebSocket connection of a Vert.x 5 client asks, after the client's proxy filter: HTTP
     * proxy options for the daemon, with the app's name as user (Basic {@code app:}), for a non-exempt
     * server on the network, whatever {@code ProxyOptions} and filter the client has ({@code options},
     * possibly {@code null}); else {@code options} unchanged. HTTPS goes through a CONNECT.
     */
    public static Object forceProxy(Object options, Object server) {
        try {
            Api api = server == null ? null : API.get(server.getClass());
            if (api == null || !Boolean.TRUE.equals(api.isInetSocket.invoke(server))) {
                return options;
            }
            InetSocketAddress daemon = ProxyForcing.proxyFor((String) api.host.invoke(server), (Integer) api.port.invoke(server), "https");
            if (daemon == null) {
                return options;
            }
            Object forced = api.newOptions.newInstance();
            api.setHost.invoke(forced, daemon.getHostString());
            api.setPort.invoke(forced, daemon.getPort());
            api.setUsername.invoke(forced, AgentContext.policy().app());
            api.setPassword.invoke(forced, "");
            return forced;
        } catch (Throwable e) {
            return options;
        }
    }

    /** Vert.x's {@code SocketAddress} and {@code ProxyOptions} (whose default type is HTTP), from the address's loader. */
    private static final class Api {
        final Method isInetSocket;
        final Method host;
        final Method port;
        final java.lang.reflect.Constructor<?> newOptions;
        final Method setHost;
        final Method setPort;
        final Method setUsername;
        final Method setPassword;

        Api(Class<?> address) throws ReflectiveOperationException {
            Class<?> socketAddress = ApacheHooks.supertype(address, "io.vertx.core.net.SocketAddress");
            if (socketAddress == null) {
                throw new ClassNotFoundException("io.vertx.core.net.SocketAddress");
            }
            isInetSocket = socketAddress.getMethod("isInetSocket");
            host = socketAddress.getMethod("host");
            port = socketAddress.getMethod("port");
            Class<?> options = Class.forName("io.vertx.core.net.ProxyOptions", false, socketAddress.getClassLoader());
            newOptions = options.getConstructor();
            setHost = options.getMethod("setHost", String.class);
            setPort = options.getMethod("setPort", int.class);
            setUsername = options.getMethod("setUsername", String.class);
            setPassword = options.getMethod("setPassword", String.class);
        }
    }
}
