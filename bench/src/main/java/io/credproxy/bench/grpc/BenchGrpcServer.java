package io.credproxy.bench.grpc;

import io.credproxy.bench.ExpectedAuth;
import io.grpc.Contexts;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The benchmark's gRPC upstream: {@code bench.Echo/Unary} over TLS, answering each call with the
 * verdict on its {@code authorization} metadata (never the value).
 *
 * <p>Usage: {@code BenchGrpcServer HOST PORT CERT_PEM KEY_PEM SECRETS_ENV SECRET_NAME}.
 */
public final class BenchGrpcServer {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> RECEIVED = Context.key("authorization");

    private BenchGrpcServer() {}

    public static void main(String[] args) throws Exception {
        ExpectedAuth auth = ExpectedAuth.fromEnvFile(Path.of(args[4]), args[5]);
        Server server = start(args[0], Integer.parseInt(args[1]), new File(args[2]), new File(args[3]), auth);
        System.out.println("bench grpc upstream on " + args[0] + ":" + server.getPort());
        server.awaitTermination();
    }

    public static Server start(String host, int port, File cert, File key, ExpectedAuth auth) throws Exception {
        ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Echo")
                .addMethod(BenchGrpc.UNARY, ServerCalls.asyncUnaryCall((String request, io.grpc.stub.StreamObserver<String> out) -> {
                    out.onNext(auth.verdictOn(RECEIVED.get()));
                    out.onCompleted();
                }))
                .build();
        ServerInterceptor readAuthorization = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(Context.current().withValue(RECEIVED, headers.get(AUTHORIZATION)), call, headers, next);
            }
        };
        return NettyServerBuilder.forAddress(new InetSocketAddress(host, port), TlsServerCredentials.create(cert, key))
                .directExecutor()
                .addService(ServerInterceptors.intercept(service, readAuthorization))
                .build()
                .start();
    }
}
