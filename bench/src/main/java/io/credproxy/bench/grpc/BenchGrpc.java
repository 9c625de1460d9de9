package io.credproxy.bench.grpc;

import io.credproxy.bench.Target;
import io.grpc.HttpConnectProxiedSocketAddress;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark's gRPC method, shared by its server and the load generator: {@code bench.Echo/Unary},
 * string messages (no protobuf), answering the upstream's {@link io.credproxy.bench.AuthVerdict} on
 * the {@code authorization} metadata it received.
 */
public final class BenchGrpc {
    static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    public static final MethodDescriptor<String, String> UNARY = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Echo", "Unary"))
            .setRequestMarshaller(UTF8)
            .setResponseMarshaller(UTF8)
            .build();

    private BenchGrpc() {}

    /**
     * A channel to {@code authority} ({@code host:port}) for {@code target}: through its proxy by
     * HTTP CONNECT when it has one, trusting only the target's CA (so a proxy that tunneled instead
     * of intercepting fails the handshake).
     */
    public static ManagedChannel channel(Target target, String authority) throws IOException {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(authority,
                TlsChannelCredentials.newBuilder().trustManager(target.trustedCa().toFile()).build());
        if (target.proxied()) {
            builder.proxyDetector(address -> HttpConnectProxiedSocketAddress.newBuilder()
                    .setProxyAddress(target.proxy())
                    .setTargetAddress((InetSocketAddress) address)
                    .build());
        } else {
            builder.proxyDetector(address -> null);
        }
        return builder.build();
    }
}
