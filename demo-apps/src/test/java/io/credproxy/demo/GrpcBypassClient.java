package io.credproxy.demo;

import io.grpc.Grpc;
import io.grpc.TlsChannelCredentials;

/**
 * A gRPC-java app that bypasses gRPC's proxy detection, for {@link GrpcClientHooksIT}: as
 * {@link GrpcAgentClient}, with a {@code ProxyDetector} that answers {@code null} for every address,
 * so that only the agent's transport hook can send it through the daemon as a proxy.
 */
public final class GrpcBypassClient {
    private GrpcBypassClient() {}

    public static void main(String[] args) throws Exception {
        // The app's own detector says "no proxy" for everything (as apps do to skip a corporate proxy).
        GrpcAgentClient.callAndPrint(Grpc.newChannelBuilder(args[0] + ":443", TlsChannelCredentials.create())
                .proxyDetector(address -> null).build());
    }
}
