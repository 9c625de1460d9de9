package io.credproxy.agent.bootstrap;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What woven Reactor Netty code calls, reached by reflection as in {@link OkHttpHooks}. Never throws:
 * should a step fail, the client connects as configured, and its connect is forced to a transparent
 * listener by the Netty transport hooks.
 */
public final class ReactorNettyHooks {
    private static final String CONFIG = "reactor.netty.transport.ClientTransportConfig";

    /** Per {@code ClientTransportConfig} class (one per loader): its field and the daemon's {@code ProxyProvider}. */
    private static final ClassValue<Forced> FORCED = new ClassValue<Forced>() {
        @Override
        protected Forced computeValue(Class<?> type) {
            try {
                Class<?> config = ApacheHooks.supertype(type, CONFIG);
                return config == null ? null : new Forced(config);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    private ReactorNettyHooks() {}

    /**
     * Hook at the entry of {@code ClientTransportConfig.proxyProvider()}, {@code hasProxy()} and
     * {@code defaultOnChannelInit()}, every place a client's connect reads its proxy: sets the
     * configuration's proxy to the daemon (an HTTP CONNECT proxy with the app's name as user, Basic
     * {@code app:}), for every destination the agent does not exempt, whatever {@code proxy(..)},
     * {@code noProxy()} or system properties set. Exempt destinations go direct.
     */
    public static void forceProxy(Object config) {
        try {
            Forced forced = config == null ? null : FORCED.get(config.getClass());
            if (forced != null && forced.daemon != null && forced.field.get(config) != forced.daemon) {
                forced.field.set(config, forced.daemon);
            }
        } catch (Throwable e) {
            // as above
        }
    }

    /** Whether a destination Reactor Netty asks about goes direct: the agent's rule for it. */
    static boolean exempt(SocketAddress destination) {
        EgressPolicy policy = AgentContext.policy();
        return policy == null || !(destination instanceof InetSocketAddress inet) || policy.isExempt(inet);
    }

    /** The field, and the daemon's {@code ProxyProvider} built once with the library's own builder. */
    private static final class Forced {
        final Field field;
        final Object daemon;

        Forced(Class<?> config) throws ReflectiveOperationException {
            field = config.getDeclaredField("proxyProvider");
            field.setAccessible(true);
            EgressPolicy policy = AgentContext.policy();
            daemon = policy == null ? null : build(field.getType(), policy);
        }

        private static Object build(Class<?> provider, EgressPolicy policy) throws ReflectiveOperationException {
            Class<?> kind = Class.forName(provider.getName() + "$Proxy", false, provider.getClassLoader());
            Object http = kind.getField("HTTP").get(null);
            // Through the public builder interfaces: the classes implementing them are not public.
            Method builder = provider.getMethod("builder");
            Method type = builder.getReturnType().getMethod("type", kind);
            Method address = type.getReturnType().getMethod("address", InetSocketAddress.class);
            Object spec = address.invoke(type.invoke(builder.invoke(null), http), policy.proxy());
            Class<?> specType = address.getReturnType();
            Function<String, String> noPassword = user -> "";
            Predicate<SocketAddress> direct = ReactorNettyHooks::exempt;
            specType.getMethod("username", String.class).invoke(spec, policy.app());
            specType.getMethod("password", Function.class).invoke(spec, noPassword);
            specType.getMethod("nonProxyHostsPredicate", Predicate.class).invoke(spec, direct);
            return specType.getMethod("build").invoke(spec);
        }
    }
}
