package io.credproxy.agent.bootstrap;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What woven Apache HttpClient 4.x code calls, reached by reflection as in {@link ApacheHooks}: 4.x has
 * its own packages ({@code org.apache.http}), a {@code HttpHost(name, port, scheme)} constructor where
 * 5.x has {@code (scheme, name, port)}, and a request line object where 5.x has the method and URI on
 * the request. Looked up once per class; never throws.
 */
public final class Apache4Hooks {
    private static final String HTTP_ROUTE = "org.apache.http.conn.routing.HttpRoute";
    private static final String HTTP_REQUEST = "org.apache.http.HttpRequest";

    private static final ClassValue<RouteApi> ROUTE_API = new ClassValue<RouteApi>() {
        @Override
        protected RouteApi computeValue(Class<?> type) {
            Class<?> route = ApacheHooks.supertype(type, HTTP_ROUTE);
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
            Class<?> request = ApacheHooks.supertype(type, HTTP_REQUEST);
            try {
                if (request == null) {
                    return null;
                }
                Method getRequestLine = request.getMethod("getRequestLine");
                Class<?> line = getRequestLine.getReturnType();
                return new Method[] {getRequestLine, line.getMethod("getMethod"), line.getMethod("getUri"),
                    request.getMethod("setHeader", String.class, String.class)};
            } catch (NoSuchMethodException | RuntimeException e) {
                return null;
            }
        }
    };

    private Apache4Hooks() {}

    /**
     * Hook at the returns of {@code InternalHttpClient.determineRoute} (and of the deprecated
     * {@code DefaultRequestDirector.determineRoute}): the route through the daemon (tunnelled when
     * secure) for a non-exempt target, whatever route planner, proxy or system properties the client
     * was built with; else {@code route} unchanged.
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
            Object proxyHost = api.newHost.newInstance(proxy.getHostString(), proxy.getPort(), "http");
            return api.newRoute.newInstance(target, api.getLocalAddress.invoke(route), proxyHost, api.isSecure.invoke(route));
        } catch (Throwable e) {
            return route;
        }
    }

    /**
     * Hook at the start of HttpCore 4's request writers ({@code writeHeadLine(request)}, called before
     * the headers are written): adds the app's {@code Proxy-Authorization} to a CONNECT or an
     * absolute-form request, i.e. one addressed to the proxy.
     */
    public static void addIdentity(Object request) {
        try {
            Method[] api = request == null ? null : REQUEST_API.get(request.getClass());
            if (api == null) {
                return;
            }
            Object line = api[0].invoke(request);
            String value = ProxyForcing.identityForRequest((String) api[1].invoke(line), (String) api[2].invoke(line));
            if (value != null) {
                api[3].invoke(request, "Proxy-Authorization", value);
            }
        } catch (Throwable e) {
            // the request goes without the identity; the daemon reports it as app "unknown"
        }
    }

    /** HttpRoute's and HttpHost's public API (4.x), as the route hook uses it. */
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
            newHost = host.getConstructor(String.class, int.class, String.class);
            newRoute = route.getConstructor(host, InetAddress.class, host, boolean.class);
        }
    }
}
