package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.GrpcTestServer;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.HttpConnectProxiedSocketAddress;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC end to end through the daemon: a gRPC-java client and a Python gRPC client (Debian's
 * python3-grpcio, through {@code https_proxy}) call a TLS gRPC server, unary and server-streaming;
 * the server accepts a call only with the rule's {@code x-goog-api-key}, which the clients never
 * hold (they send a forged one, which the daemon replaces). The agent's side (gRPC-java with no
 * proxy configured) is in the demo apps' {@code GrpcAgentIT}.
 */
class GrpcIT {
    static final String GRPC = "grpc.api.test";

    @TempDir
    static Path dir;
    static H2Fixture fx;
    static GrpcTestServer server;
    static int apps;
    String app;

    @BeforeAll
    static void start() throws Exception {
        fx = new H2Fixture(dir, f -> {
            try {
                server = GrpcTestServer.start(f.pki, "x-goog-api-key", f.secret("EXTRA_KEY"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of(GRPC, server.address());
        });
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newApp() {
        app = "grpc" + ++apps;
        server.clear();
    }

    private ManagedChannel javaChannel() throws Exception {
        Path ca = fx.daemonCaPem;
        return NettyChannelBuilder.forTarget(GRPC + ":443", TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build())
                .proxyDetector(target -> HttpConnectProxiedSocketAddress.newBuilder()
                        .setProxyAddress(new InetSocketAddress("127.0.0.1", fx.proxyPort()))
                        .setTargetAddress((InetSocketAddress) target)
                        .setUsername(app)
                        .setPassword("")
                        .build())
                .build();
    }

    private static io.grpc.Channel withForgedKey(ManagedChannel channel) {
        Metadata forged = new Metadata();
        forged.put(Metadata.Key.of("x-goog-api-key", Metadata.ASCII_STRING_MARSHALLER), "forged-by-the-client");
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(forged));
    }

    @Test
    void grpcJavaUnaryAndServerStreamingCallsCarryTheRulesCredential() throws Exception {
        ManagedChannel channel = javaChannel();
        try {
            io.grpc.Channel calls = withForgedKey(channel);
            CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
            String unary = ClientCalls.blockingUnaryCall(calls, GrpcTestServer.UNARY, options, "hello");
            List<String> streamed = new ArrayList<>();
            ClientCalls.blockingServerStreamingCall(calls, GrpcTestServer.STREAM, options, "tide").forEachRemaining(streamed::add);

            assertThat(unary).isEqualTo("echo:hello");
            assertThat(streamed).containsExactly("part 1 of tide", "part 2 of tide", "part 3 of tide");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(server.calls()).hasSize(2).allSatisfy(call -> {
            assertThat(call.credentials()).containsExactly(fx.secret("EXTRA_KEY"));
            assertThat(call.authority()).isEqualTo(GRPC + ":443");
        });
        List<AuditEvent> events = fx.events(app, 2);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.decision()).isEqualTo(Decision.INJECTED);
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.secretNames()).containsExactly("EXTRA_KEY");
        });
        assertThat(events).extracting(AuditEvent::path)
                .containsExactlyInAnyOrder("/credproxy.test.Echo/Unary", "/credproxy.test.Echo/Stream");
    }

    @Test
    void pythonGrpcThroughHttpsProxyUnaryAndServerStreaming() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("/usr/bin/python3", "-c", "import grpc").start().waitFor() == 0,
                "Debian's python3-grpcio is not installed (.ci/run installs it): skipping the Python client");
        Python unary = python("Unary", "hi");
        Python stream = python("Stream", "wave");

        assertThat(unary.exit()).as(unary.output()).isZero();
        assertThat(unary.output().strip()).isEqualTo("echo:hi");
        assertThat(stream.exit()).as(stream.output()).isZero();
        assertThat(stream.output().strip().lines()).containsExactly("part 1 of wave", "part 2 of wave", "part 3 of wave");
        assertThat(server.calls()).hasSize(2)
                .allSatisfy(call -> assertThat(call.credentials()).containsExactly(fx.secret("EXTRA_KEY")));
        assertThat(fx.leaks(Map.of("python unary", unary.output(), "python stream", stream.output()))).isEmpty();
    }

    @Test
    void withoutTheRuleTheServerRefusesTheCall() throws Exception {
        // The same server reached directly (no daemon, forged key only): the credential check is real.
        ManagedChannel direct = NettyChannelBuilder.forAddress("127.0.0.1", server.port(),
                        TlsChannelCredentials.newBuilder().trustManager(fx.upstreamCaPem.toFile()).build())
                .overrideAuthority(GRPC)
                .build();
        try {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ClientCalls.blockingUnaryCall(withForgedKey(direct),
                    GrpcTestServer.UNARY, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "x")))
                    .hasMessageContaining("UNAUTHENTICATED");
        } finally {
            direct.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    record Python(int exit, String output) {}

    private Python python(String method, String message) throws Exception {
        Path script = Path.of(GrpcIT.class.getResource("/grpc_echo_client.py").toURI());
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), GRPC + ":443", method, message)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("https_proxy", "http://" + app + ":@127.0.0.1:" + fx.proxyPort());
        pb.environment().put("GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", fx.daemonCaPem.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        Files.writeString(fx.outDir.resolve("python-" + app + "-" + method + ".txt"), out);
        return new Python(p.exitValue(), out);
    }
}
