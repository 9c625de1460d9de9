package io.credproxy.agent.bootstrap;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What woven gRPC-java code calls, reached by reflection as in {@link OkHttpHooks} (gRPC's
 * {@code io.grpc} types are the same in {@code grpc-netty} and {@code grpc-netty-shaded}: only Netty and
 * the transport are shaded). Looked up once per class; never throws.
 */
public final class GrpcHooks {
    private static final String PROXIED_ADDRESS = "io.grpc.HttpConnectProxiedSocketAddress";

    private static final ClassValue<OptionsApi> OPTIONS_API = new ClassValue<OptionsApi>() {
        @Override
        protected OptionsApi computeValue(Class<?> options) {
            try {
                return new OptionsApi(options);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    private GrpcHooks() {}

    /**
     * Hook at the start of the Netty transport factory's {@code newClientTransport(serverAddress,
     * options, logger)}, which every gRPC connection passes whatever name resolver and
     * {@code ProxyDetector} the channel has (a detector answering {@code null}, a direct address, the
     * default one asking the JVM's selector): sets the options' {@code HttpConnectProxiedSocketAddress}
     * to the daemon, with the app's name as user (Basic {@code app:}, as every other client sends), for a
     * non-exempt target. The target is the one a detector chose, else {@code serverAddress}; both keep
     * the name the channel resolved ({@code getHostString()}), which the CONNECT names.
     */
    public static void forceProxy(SocketAddress serverAddress, Object options) {
        try {
            EgressPolicy policy = AgentContext.policy();
            OptionsApi api = options == null || policy == null ? null : OPTIONS_API.get(options.getClass());
            if (api == null) {
                return;
            }
            Object proxied = api.getProxied.invoke(options);
            SocketAddress target = proxied != null ? (SocketAddress) api.getTargetAddress.invoke(proxied) : serverAddress;
            if (!(target instanceof InetSocketAddress destination)) {
                return; // a Unix domain socket or an in-process address: not the network
            }
            InetSocketAddress daemon = ProxyForcing.proxyFor(destination.getHostString(), destination.getPort(), "https");
            if (daemon == null) {
                return;
            }
            Object builder = api.newBuilder.invoke(null);
            api.setProxyAddress.invoke(builder, daemon);
            api.setTargetAddress.invoke(builder, destination);
            api.setUsername.invoke(builder, policy.app());
            api.setPassword.invoke(builder, "");
            api.setProxied.invoke(options, api.build.invoke(builder));
        } catch (Throwable e) {
            // the transport connects as it would have; the socket fence tunnels or blocks that connection
        }
    }

    /** ClientTransportOptions' and HttpConnectProxiedSocketAddress's public API, from the options' loader. */
    private static final class OptionsApi {
        final Method getProxied;
        final Method setProxied;
        final Method getTargetAddress;
        final Method newBuilder;
        final Method setProxyAddress;
        final Method setTargetAddress;
        final Method setUsername;
        final Method setPassword;
        final Method build;

        OptionsApi(Class<?> options) throws ReflectiveOperationException {
            Class<?> proxied = Class.forName(PROXIED_ADDRESS, false, options.getClassLoader());
            getProxied = options.getMethod("getHttpConnectProxiedSocketAddress");
            setProxied = options.getMethod("setHttpConnectProxiedSocketAddress", proxied);
            getTargetAddress = proxied.getMethod("getTargetAddress");
            newBuilder = proxied.getMethod("newBuilder");
            Class<?> builder = newBuilder.getReturnType();
            setProxyAddress = builder.getMethod("setProxyAddress", SocketAddress.class);
            setTargetAddress = builder.getMethod("setTargetAddress", InetSocketAddress.class);
            setUsername = builder.getMethod("setUsername", String.class);
            setPassword = builder.getMethod("setPassword", String.class);
            build = builder.getMethod("build");
        }
    }
}
