package io.credproxy.agent.bootstrap;

import java.lang.reflect.Method;

/**
 * What woven OkHttp code calls that needs OkHttp's own types, reached by reflection.
 *
 * <p>These helpers live in the bootstrap loader, which cannot see OkHttp (the application brings it,
 * in its own loader), so they take and return {@code Object} and call OkHttp's public API
 * reflectively; the woven code casts the result back. The methods are looked up once per OkHttp class.
 */
public final class OkHttpHooks {
    private static final ClassValue<Method[]> HEADERS_API = new ClassValue<Method[]>() {
        @Override
        protected Method[] computeValue(Class<?> headers) {
            try {
                Method newBuilder = headers.getMethod("newBuilder");
                Class<?> builder = newBuilder.getReturnType();
                return new Method[] {newBuilder, builder.getMethod("set", String.class, String.class), builder.getMethod("build")};
            } catch (NoSuchMethodException | RuntimeException e) {
                return null;
            }
        }
    };

    private OkHttpHooks() {}

    /**
     * Hook at the start of {@code Http1ExchangeCodec.writeRequest(headers, requestLine)}, which writes
     * both CONNECTs and plain requests: the headers with the app's {@code Proxy-Authorization} when the
     * request line is addressed to the proxy, else {@code headers} unchanged. Never throws.
     */
    public static Object withIdentity(Object headers, String requestLine) {
        try {
            String value = requestLine == null ? null : ProxyForcing.identityForRequestLine(requestLine);
            if (value == null || headers == null) {
                return headers;
            }
            Method[] api = HEADERS_API.get(headers.getClass());
            if (api == null) {
                return headers;
            }
            Object builder = api[0].invoke(headers);
            api[1].invoke(builder, "Proxy-Authorization", value);
            return api[2].invoke(builder);
        } catch (Throwable e) {
            return headers;
        }
    }
}
