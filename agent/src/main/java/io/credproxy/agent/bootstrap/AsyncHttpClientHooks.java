package io.credproxy.agent.bootstrap;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;

/**
 * What woven AsyncHttpClient code calls, reached by reflection as in {@link OkHttpHooks}; looked up
 * once per class. Never throws: should it fail, the client connects as configured, and that connect
 * is forced to a transparent listener by the Netty transport hooks.
 */
public final class AsyncHttpClientHooks {
    private static final ClassValue<Api> API = new ClassValue<Api>() {
        @Override
        protected Api computeValue(Class<?> request) {
            try {
                return new Api(request);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    private AsyncHttpClientHooks() {}

    /**
     * Hook at the returns of {@code ProxyUtils.getProxyServer(config, request)}, which the request
     * sender asks for every request (the request's own proxy, else the client's selector): an HTTP
     * {@code ProxyServer} for the daemon with a preemptive Basic realm for the app's name, for a
     * non-exempt host, whatever the client or the request configured ({@code proxy}, possibly
     * {@code null}); else {@code proxy} unchanged. HTTPS goes through a CONNECT.
     */
    public static Object forceProxy(Object proxy, Object request) {
        try {
            Api api = request == null ? null : API.get(request.getClass());
            if (api == null) {
                return proxy;
            }
            Object uri = api.getUri.invoke(request);
            InetSocketAddress daemon = ProxyForcing.proxyFor((String) api.getHost.invoke(uri), (Integer) api.getExplicitPort.invoke(uri),
                    (String) api.getScheme.invoke(uri));
            if (daemon == null) {
                return proxy;
            }
            Object realm = api.newRealm.newInstance(AgentContext.policy().app(), "");
            api.setAuthScheme.invoke(realm, api.basic);
            api.setPreemptive.invoke(realm, true);
            Object server = api.newServer.newInstance(daemon.getHostString(), daemon.getPort());
            api.setRealm.invoke(server, api.buildRealm.invoke(realm));
            return api.buildServer.invoke(server);
        } catch (Throwable e) {
            return proxy;
        }
    }

    /** Request's, Uri's, Realm.Builder's and ProxyServer.Builder's public API, from the request's loader. */
    private static final class Api {
        final Method getUri;
        final Method getHost;
        final Method getExplicitPort;
        final Method getScheme;
        final Constructor<?> newRealm;
        final Method setAuthScheme;
        final Object basic;
        final Method setPreemptive;
        final Method buildRealm;
        final Constructor<?> newServer;
        final Method setRealm;
        final Method buildServer;

        Api(Class<?> type) throws ReflectiveOperationException {
            Class<?> request = ApacheHooks.supertype(type, "org.asynchttpclient.Request");
            if (request == null) {
                throw new ClassNotFoundException("org.asynchttpclient.Request");
            }
            getUri = request.getMethod("getUri");
            Class<?> uri = getUri.getReturnType();
            getHost = uri.getMethod("getHost");
            getExplicitPort = uri.getMethod("getExplicitPort");
            getScheme = uri.getMethod("getScheme");
            ClassLoader loader = request.getClassLoader();
            Class<?> realmBuilder = Class.forName("org.asynchttpclient.Realm$Builder", false, loader);
            Class<?> scheme = Class.forName("org.asynchttpclient.Realm$AuthScheme", false, loader);
            newRealm = realmBuilder.getConstructor(String.class, String.class);
            setAuthScheme = realmBuilder.getMethod("setScheme", scheme);
            basic = scheme.getField("BASIC").get(null);
            setPreemptive = realmBuilder.getMethod("setUsePreemptiveAuth", boolean.class);
            buildRealm = realmBuilder.getMethod("build");
            Class<?> serverBuilder = Class.forName("org.asynchttpclient.proxy.ProxyServer$Builder", false, loader);
            newServer = serverBuilder.getConstructor(String.class, int.class);
            setRealm = serverBuilder.getMethod("setRealm", buildRealm.getReturnType());
            buildServer = serverBuilder.getMethod("build");
        }
    }
}
