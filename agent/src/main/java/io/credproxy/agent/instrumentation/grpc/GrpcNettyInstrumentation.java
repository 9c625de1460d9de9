package io.credproxy.agent.instrumentation.grpc;

import static io.credproxy.agent.weave.Load.argument;

import io.credproxy.agent.bootstrap.GrpcHooks;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * gRPC-java on Netty, {@code grpc-netty} or {@code grpc-netty-shaded} (one instance each: an app has
 * one or the other, and must not wait for both to count as instrumented): every connection through
 * the daemon as an HTTP CONNECT proxy, with the app's identity.
 *
 * <p>gRPC's {@code ProxyDetector} is asked in the name resolver, and an application can replace it
 * ({@code proxyDetector(address -> null)}) or use a resolver that never asks it (a direct address).
 * What every path ends in is the transport factory's {@code newClientTransport(SocketAddress,
 * ClientTransportOptions, ChannelLogger)}, which reads the proxied address from the options and
 * builds the CONNECT itself; the hook sets it there ({@link GrpcHooks#forceProxy}). TLS is gRPC's
 * Netty {@code SslContext}, built on the JVM's default trust unless the app gives its own roots.
 */
public final class GrpcNettyInstrumentation implements ClientInstrumentation {
    private static final String ADDRESS = "Ljava/net/SocketAddress;";
    private static final String OPTIONS = "Lio/grpc/internal/ClientTransportFactory$ClientTransportOptions;";

    private final String client;
    private final String transportFactory;

    private GrpcNettyInstrumentation(String client, String nettyPackage) {
        this.client = client;
        this.transportFactory = nettyPackage + ".NettyChannelBuilder$NettyTransportFactory";
    }

    /** {@code grpc-netty}, on the application's own Netty. */
    public static GrpcNettyInstrumentation unshaded() {
        return new GrpcNettyInstrumentation("grpc-netty", "io.grpc.netty");
    }

    /** {@code grpc-netty-shaded}, with Netty inside (most Google Cloud Java clients). */
    public static GrpcNettyInstrumentation shaded() {
        return new GrpcNettyInstrumentation("grpc-netty-shaded", "io.grpc.netty.shaded.io.grpc.netty");
    }

    @Override
    public String client() {
        return client;
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(MethodHook.in(transportFactory, MethodMatcher.named("newClientTransport").takes(ADDRESS).takes(OPTIONS))
                .atEntry(Call.to(GrpcHooks.class, "forceProxy", "(" + ADDRESS + "Ljava/lang/Object;)V", argument(ADDRESS), argument(OPTIONS))));
    }
}
