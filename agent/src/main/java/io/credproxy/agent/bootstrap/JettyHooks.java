package io.credproxy.agent.bootstrap;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * What woven Jetty 12 client code calls, reached by reflection as in {@link OkHttpHooks}: the
 * bootstrap loader cannot see Jetty, so these take and return {@code Object} and use Jetty's public API,
 * looked up once per class. Never throws.
 */
public final class JettyHooks {
    private static final String HTTP_PROXY = "org.eclipse.jetty.client.HttpProxy";

    private static final ClassValue<OriginApi> ORIGIN_API = new ClassValue<OriginApi>() {
        @Override
        protected OriginApi computeValue(Class<?> origin) {
            try {
                return new OriginApi(origin);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    private static final ClassValue<Method[]> REQUEST_API = new ClassValue<Method[]>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            Class<?> request = ApacheHooks.supertype(type, "org.eclipse.jetty.client.Request");
            try {
                return request == null ? null : new Method[] {request.getMethod("getMethod"), request.getMethod("getPath"),
                    request.getMethod("headers", Consumer.class)};
            } catch (NoSuchMethodException | RuntimeException e) {
                return null;
            }
        }
    };

    private JettyHooks() {}

    /**
     * Hook at the returns of {@code ProxyConfiguration.match(origin)}, which each new
     * {@code HttpDestination} asks for its proxy: an {@code HttpProxy} to the daemon for a non-exempt
     * origin on the network, whatever proxies the client was configured with ({@code proxy}, possibly
     * {@code null}); else {@code proxy} unchanged. HTTPS origins then go through a CONNECT.
     */
    public static Object forceProxy(Object proxy, Object origin) {
        try {
            OriginApi api = origin == null ? null : ORIGIN_API.get(origin.getClass());
            if (api == null || !api.onTheNetwork(origin)) {
                return proxy;
            }
            Object address = api.getAddress.invoke(origin);
            InetSocketAddress daemon = ProxyForcing.proxyFor((String) api.getHost.invoke(address),
                    (Integer) api.getPort.invoke(address), (String) api.getScheme.invoke(origin));
            if (daemon == null) {
                return proxy;
            }
            // The daemon by address: Jetty asks match(..) again for the proxy's own origin, which must be exempt
            // (a literal of the daemon always is; a name for it might not be, and would proxy the proxy).
            String host = daemon.getAddress() != null ? daemon.getAddress().getHostAddress() : daemon.getHostString();
            return api.newHttpProxy.newInstance(host, daemon.getPort());
        } catch (Throwable e) {
            return proxy;
        }
    }

    /**
     * Hook before the returns of {@code HttpConnection.normalizeRequest(request)}, which runs for every
     * request a connection sends, the tunnel's CONNECT included, once its path is final (absolute-form
     * when it goes to a proxy in plain HTTP): adds the app's {@code Proxy-Authorization} to a CONNECT
     * or an absolute-form request, i.e. one addressed to the proxy.
     */
    public static void addIdentity(Object request) {
        try {
            Method[] api = request == null ? null : REQUEST_API.get(request.getClass());
            if (api == null) {
                return;
            }
            String value = ProxyForcing.identityForRequest((String) api[0].invoke(request), (String) api[1].invoke(request));
            if (value != null) {
                api[2].invoke(request, new PutHeader("Proxy-Authorization", value));
            }
        } catch (Throwable e) {
            // the request goes without the identity; the daemon reports it as app "unknown"
        }
    }

    /**
     * {@code headers -> headers.put(name, value)} on Jetty's {@code HttpFields.Mutable}, by reflection
     * through that public interface (the class implementing it need not be public).
     */
    private static final class PutHeader implements Consumer<Object> {
        private final String name;
        private final String value;

        PutHeader(String name, String value) {
            this.name = name;
            this.value = value;
        }

        @Override
        public void accept(Object headers) {
            try {
                Class<?> mutable = ApacheHooks.supertype(headers.getClass(), "org.eclipse.jetty.http.HttpFields$Mutable");
                if (mutable != null) {
                    mutable.getMethod("put", String.class, String.class).invoke(headers, name, value);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // as above
            }
        }
    }

    /** Origin's, its Address's and HttpProxy's public API, from the loader that has the Origin. */
    private static final class OriginApi {
        final Method getScheme;
        final Method getAddress;
        final Method getHost;
        final Method getPort;
        final Method getTransport;
        final Constructor<?> newHttpProxy;

        OriginApi(Class<?> origin) throws ReflectiveOperationException {
            getScheme = origin.getMethod("getScheme");
            getAddress = origin.getMethod("getAddress");
            Class<?> address = getAddress.getReturnType();
            getHost = address.getMethod("getHost");
            getPort = address.getMethod("getPort");
            getTransport = optionalMethod(origin, "getTransport");
            newHttpProxy = Class.forName(HTTP_PROXY, false, origin.getClassLoader()).getConstructor(String.class, int.class);
        }

        /**
         * Whether the origin is reached over the network: always in 12.0; in 12.1, unless its
         * {@code Transport} needs no name resolution (a Unix domain socket, an in-memory transport).
         */
        boolean onTheNetwork(Object origin) throws ReflectiveOperationException {
            Object transport = getTransport == null ? null : getTransport.invoke(origin);
            if (transport == null) {
                return true;
            }
            Method resolves = optionalMethod(transport.getClass(), "requiresDomainNameResolution");
            return resolves == null || Boolean.TRUE.equals(resolves.invoke(transport));
        }

        private static Method optionalMethod(Class<?> type, String name) {
            try {
                return type.getMethod(name);
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    }
}
