package io.credproxy.testing;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TLS gRPC server on 127.0.0.1 for tests, with one service, {@value #SERVICE}, whose messages are
 * plain UTF-8 strings (no protobuf, so no generated code; any gRPC client can call it with a string
 * marshaller):
 * <ul>
 *   <li>{@code Unary}: answers {@code echo:REQUEST};
 *   <li>{@code Stream} (server streaming): answers {@code part 1 of REQUEST} .. {@code part 3 of REQUEST}.
 * </ul>
 * Every call must carry the metadata {@code credentialKey} with exactly {@code credential}, else it
 * fails with UNAUTHENTICATED before the method runs: the server checks the credential the daemon
 * injects. What each call carried is recorded.
 */
public final class GrpcTestServer implements AutoCloseable {
    public static final String SERVICE = "credproxy.test.Echo";
    public static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
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
    public static final MethodDescriptor<String, String> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
    public static final MethodDescriptor<String, String> STREAM = method("Stream", MethodDescriptor.MethodType.SERVER_STREAMING);

    /** What one call carried: its method, the values of the credential key, and the {@code :authority}. */
    public record Call(String method, List<String> credentials, String authority) {}

    private final Server server;
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    private GrpcTestServer(TestPki pki, String credentialKey, String credential) throws IOException {
        Metadata.Key<String> key = Metadata.Key.of(credentialKey, Metadata.ASCII_STRING_MARSHALLER);
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((String request, io.grpc.stub.StreamObserver<String> out) -> {
                    out.onNext("echo:" + request);
                    out.onCompleted();
                }))
                .addMethod(STREAM, ServerCalls.asyncServerStreamingCall((String request, io.grpc.stub.StreamObserver<String> out) -> {
                    for (int i = 1; i <= 3; i++) {
                        out.onNext("part " + i + " of " + request);
                    }
                    out.onCompleted();
                }))
                .build();
        ServerInterceptor checkCredential = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                List<String> values = new ArrayList<>();
                Iterable<String> all = headers.getAll(key);
                if (all != null) {
                    all.forEach(values::add);
                }
                calls.add(new Call(call.getMethodDescriptor().getBareMethodName(), values, call.getAuthority()));
                if (!values.equals(List.of(credential))) {
                    call.close(Status.UNAUTHENTICATED.withDescription("missing or wrong " + credentialKey), new Metadata());
                    return new ServerCall.Listener<>() {};
                }
                return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {}, headers);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress(TestPki.loopback(), 0),
                        TlsServerCredentials.newBuilder().keyManager(pki.serverKeyManagers().getKeyManagers()).build())
                .addService(ServerInterceptors.intercept(service, checkCredential))
                .build()
                .start();
    }

    /** Serves with {@code pki}'s server certificate; calls must carry {@code credentialKey: credential}. */
    public static GrpcTestServer start(TestPki pki, String credentialKey, String credential) throws IOException {
        return new GrpcTestServer(pki, credentialKey, credential);
    }

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(UTF8)
                .setResponseMarshaller(UTF8)
                .build();
    }

    public int port() {
        return server.getPort();
    }

    /** {@code 127.0.0.1:port}, as written in {@code upstream.resolve}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    public void clear() {
        calls.clear();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
