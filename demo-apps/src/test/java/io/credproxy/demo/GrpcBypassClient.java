package io.credproxy.demo;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC-java app that bypasses gRPC's proxy detection, for {@link GrpcClientHooksIT}: as
 * {@link GrpcAgentClient}, with a {@code ProxyDetector} that answers {@code null} for every address,
 * so that only the agent's transport hook can send it through the daemon as a proxy.
 */
public final class GrpcBypassClient {
    /** The test server's string messages ({@code GrpcTestServer}, which is not on the app's class path). */
    private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
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
    private static final MethodDescriptor<String, String> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<String, String> STREAM = method("Stream", MethodDescriptor.MethodType.SERVER_STREAMING);

    private GrpcBypassClient() {}

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("credproxy.test.Echo", name))
                .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();
    }

    public static void main(String[] args) throws Exception {
        // The app's own detector says "no proxy" for everything (as apps do to skip a corporate proxy).
        ManagedChannel channel = Grpc.newChannelBuilder(args[0] + ":443", TlsChannelCredentials.create())
                .proxyDetector(address -> null).build();
        try {
            Metadata forged = new Metadata();
            forged.put(Metadata.Key.of("x-goog-api-key", Metadata.ASCII_STRING_MARSHALLER), "proxy-managed");
            io.grpc.Channel calls = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(forged));
            CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
            System.out.println("UNARY " + ClientCalls.blockingUnaryCall(calls, UNARY, options, "from-agent"));
            List<String> parts = new ArrayList<>();
            ClientCalls.blockingServerStreamingCall(calls, STREAM, options, "agent").forEachRemaining(parts::add);
            System.out.println("STREAM " + String.join("|", parts));
        } catch (RuntimeException e) {
            System.out.println("FAILED " + e);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
