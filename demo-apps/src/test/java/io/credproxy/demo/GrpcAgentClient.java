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
 * A gRPC-java app as people write them, for {@link GrpcAgentIT}: a channel to {@code host:443} with
 * default TLS trust and no proxy configured, a forged {@code x-goog-api-key} (the app does not hold
 * the real one), one unary and one server-streaming call. Under the agent both calls go through the
 * daemon; without it they cannot even resolve the name.
 */
public final class GrpcAgentClient {
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

    private GrpcAgentClient() {}

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("credproxy.test.Echo", name))
                .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();
    }

    public static void main(String[] args) throws Exception {
        callAndPrint(Grpc.newChannelBuilder(args[0] + ":443", TlsChannelCredentials.create()).build());
    }

    /** The two calls on {@code channel} with the forged key, each printed (or FAILED), then the channel shut. */
    static void callAndPrint(ManagedChannel channel) throws InterruptedException {
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
