package io.credproxy.agent.bootstrap;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What woven Apache HttpClient 5 code calls that needs the client's own types, reached by reflection.
 *
 * <p>As for {@link OkHttpHooks}: the bootstrap loader cannot see the application's HttpClient, so
 * these take and return {@code Object} and use its public API reflectively, looked up once per class.
 */
public final class ApacheHooks {
    private static final String HTTP_ROUTE = "org.apache.hc.client5.http.HttpRoute";
    private static final String HTTP_REQUEST = "org.apache.hc.core5.http.HttpRequest";

    private static final ClassValue<RouteApi> ROUTE_API = new ClassValue<RouteApi>() {
        @Override
        protected RouteApi computeValue(Class<?> type) {
            Class<?> route = supertype(type, HTTP_ROUTE);
            try {
                return route == null ? null : new RouteApi(route);
            } catch (NoSuchMethodException | RuntimeException e) {
                return null;
            }
        }
    };

    private static final ClassValue<Method[]> REQUEST_API = new ClassValue<Method[]>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            Class<?> request = supertype(type, HTTP_REQUEST);
            try {
                return request == null ? null : new Method[] {request.getMethod("getMethod"),
                    request.getMethod("getRequestUri"), request.getMethod("setHeader", String.class, Object.class)};
            } catch (NoSuchMethodException | RuntimeException e) {
                return null;
            }
        }
    };

    private ApacheHooks() {}

    /**
     * Hook at the returns of {@code InternalHttpClient.determineRoute} and
     * {@code InternalHttpAsyncClient.determineRoute}: the route through the daemon (tunnelled when
     * secure) for a non-exempt target, whatever route planner or proxy the client was built with, else
     * {@code route} unchanged. Never throws.
     */
    public static Object forceRoute(Object route) {
        try {
            RouteApi api = route == null ? null : ROUTE_API.get(route.getClass());
            if (api == null) {
                return route;
            }
            Object target = api.getTargetHost.invoke(route);
            InetSocketAddress proxy = ProxyForcing.proxyFor((String) api.getHostName.invoke(target),
                    (Integer) api.getPort.invoke(target), (String) api.getSchemeName.invoke(target));
            if (proxy == null) {
                return route;
            }
            Object proxyHost = api.newHost.newInstance("http", proxy.getHostString(), proxy.getPort());
            return api.newRoute.newInstance(target, api.getLocalAddress.invoke(route), proxyHost, api.isSecure.invoke(route));
        } catch (Throwable e) {
            return route;
        }
    }

    /**
     * Hook at the start of HttpCore's request writers ({@code writeHeadLine}, blocking and NIO): adds
     * the app's {@code Proxy-Authorization} to a CONNECT or an absolute-form request, i.e. one
     * addressed to the proxy. Never throws.
     */
    public static void addIdentity(Object request) {
        try {
            Method[] api = request == null ? null : REQUEST_API.get(request.getClass());
            if (api == null) {
                return;
            }
            String value = ProxyForcing.identityForRequest((String) api[0].invoke(request), (String) api[1].invoke(request));
            if (value != null) {
                api[2].invoke(request, "Proxy-Authorization", value);
            }
        } catch (Throwable e) {
            // the request goes without the identity; the daemon reports it as app "unknown"
        }
    }

    /** The class or interface called {@code name} among {@code type} and its supertypes, or {@code null}. */
    static Class<?> supertype(Class<?> type, String name) {
        if (type == null) {
            return null;
        }
        if (type.getName().equals(name)) {
            return type;
        }
        for (Class<?> implemented : type.getInterfaces()) {
            Class<?> found = supertype(implemented, name);
            if (found != null) {
                return found;
            }
        }
        return supertype(type.getSuperclass(), name);
    }

    /** HttpRoute's and HttpHost's public API, as the route hook uses it. */
    private static final class RouteApi {
        final Method getTargetHost;
        final Method getLocalAddress;
        final Method isSecure;
        final Method getHostName;
        final Method getPort;
        final Method getSchemeName;
        final Constructor<?> newHost;
        final Constructor<?> newRoute;

        RouteApi(Class<?> route) throws NoSuchMethodException {
            getTargetHost = route.getMethod("getTargetHost");
            getLocalAddress = route.getMethod("getLocalAddress");
            isSecure = route.getMethod("isSecure");
            Class<?> host = getTargetHost.getReturnType();
            getHostName = host.getMethod("getHostName");
            getPort = host.getMethod("getPort");
            getSchemeName = host.getMethod("getSchemeName");
            newHost = host.getConstructor(String.class, String.class, int.class);
            newRoute = route.getConstructor(host, InetAddress.class, host, boolean.class);
        }
    }
}
