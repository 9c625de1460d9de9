package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.Daemon;
import io.credproxy.daemon.DaemonOptions;
import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.demo.ChildJvm.Jdk;
import io.credproxy.demo.ChildJvm.Libraries;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.Canaries;
import io.credproxy.testing.GrpcTestServer;
import io.credproxy.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC-java under the agent, on Java 17 and 25: an app with no proxy settings and default trust
 * reaches a TLS gRPC server through the daemon (the agent forces {@code ProxySelector.getDefault()},
 * which gRPC's default proxy detector asks, and makes the JVM's default trust accept the daemon's
 * CA, which gRPC's TLS uses), unary and server-streaming, with the rule's {@code x-goog-api-key}
 * that only the daemon holds; the server checks it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcAgentIT {
    private static final String HOST = "grpc.googleapis.test";

    private GrpcTestServer server;
    private Daemon daemon;
    private Path hosts;
    private final Map<String, String> secrets = Canaries.values("GRPC_API_KEY");
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create("grpc upstream CA", List.of(HOST));
        server = GrpcTestServer.start(pki, "x-goog-api-key", secrets.get("GRPC_API_KEY"));
        Path secretsFile = Canaries.writeEnvFile(Files.createDirectories(dir.resolve("secret")).resolve("secrets.env"), secrets);
        Path config = Files.writeString(dir.resolve("credproxy.yaml"), String.join("\n",
                "listen: 127.0.0.1:0",
                "admin: 127.0.0.1:0",
                "secrets: " + secretsFile,
                "ca_dir: " + dir.resolve("ca"),
                "audit_log: " + dir.resolve("audit.jsonl"),
                "upstream:",
                "  extra_ca: [" + pki.writeCaPem(dir.resolve("upstream-ca.pem")) + "]",
                "  resolve: {\"" + HOST + ":443\": \"" + server.address() + "\"}",
                "rules:",
                "  - host: " + HOST,
                "    headers: {X-Goog-Api-Key: \"${GRPC_API_KEY}\"}",
                ""));
        daemon = Daemon.start(new ConfigLoader().load(config), DaemonOptions.defaults().withAuditSink(events::add));
        // The app's world: no name but localhost resolves, so only the daemon can reach the host.
        hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
    }

    @AfterAll
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void grpcJavaUnderTheAgentCallsThroughTheDaemonWithTheRulesKey(Jdk jdk) throws Exception {
        String app = "grpc-agent-" + jdk.name().toLowerCase(java.util.Locale.ROOT);
        server.clear();
        ChildJvm.Result result = new ChildJvm(jdk)
                .option("-Djdk.net.hosts.file=" + hosts)
                .libraries(Libraries.GRPC)
                .agent("proxy=127.0.0.1:" + daemon.proxyAddress().getPort() + ",admin=127.0.0.1:" + daemon.adminAddress().getPort()
                        + ",app=" + app)
                .run(GrpcAgentClient.class, HOST);

        assertThat(result.stdout()).as(result.output())
                .contains("UNARY echo:from-agent")
                .contains("STREAM part 1 of agent|part 2 of agent|part 3 of agent");
        assertThat(server.calls()).hasSize(2)
                .allSatisfy(call -> assertThat(call.credentials()).containsExactly(secrets.get("GRPC_API_KEY")));
        assertThat(events).filteredOn(e -> e.host().equals(HOST) && e.decision() == Decision.INJECTED).hasSizeGreaterThanOrEqualTo(2);
        assertThat(Canaries.findLeaks(secrets, List.of(), Map.of("child output", result.output()))).isEmpty();
    }
}
