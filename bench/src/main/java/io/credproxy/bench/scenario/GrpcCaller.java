package io.credproxy.bench.scenario;

import io.credproxy.bench.ExpectedAuth;
import io.credproxy.bench.TargetSession;
import io.credproxy.bench.grpc.BenchGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** One gRPC channel for a {@link RequestLoopScenario.Mode#GRPC_UNARY} segment: every worker's unary calls share it. */
final class GrpcCaller implements AutoCloseable {
    private final ManagedChannel channel;
    private final Channel calls;

    private GrpcCaller(ManagedChannel channel, Channel calls) {
        this.channel = channel;
        this.calls = calls;
    }

    static GrpcCaller open(TargetSession session) {
        try {
            ManagedChannel channel = BenchGrpc.channel(session.target(), session.endpoints().grpc());
            Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), session.auth().sentBy(session.target()));
            return new GrpcCaller(channel, ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(auth)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot build the gRPC channel: " + e.getMessage(), e);
        }
    }

    /** One unary call; {@code null} when the upstream saw the right credential, else what went wrong. */
    String call() {
        try {
            String verdict = ClientCalls.blockingUnaryCall(calls, BenchGrpc.UNARY,
                    CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), "ping");
            return ExpectedAuth.mismatch(verdict);
        } catch (StatusRuntimeException e) {
            return "gRPC " + e.getStatus().getCode();
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
