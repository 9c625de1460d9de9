package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.demo.ChildJvm.Jdk;
import io.credproxy.demo.ChildJvm.Libraries;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.Canaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    private static final String HOST = GrpcDaemonFixture.HOST;

    private GrpcDaemonFixture fx;
    private Path hosts;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        fx = new GrpcDaemonFixture(dir);
        // The app's world: no name but localhost resolves, so only the daemon can reach the host.
        hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
    }

    @AfterAll
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void grpcJavaUnderTheAgentCallsThroughTheDaemonWithTheRulesKey(Jdk jdk) throws Exception {
        String app = "grpc-agent-" + jdk.name().toLowerCase(java.util.Locale.ROOT);
        fx.server.clear();
        ChildJvm.Result result = new ChildJvm(jdk)
                .option("-Djdk.net.hosts.file=" + hosts)
                .libraries(Libraries.GRPC)
                .agent(fx.agentOptions(app))
                .run(GrpcAgentClient.class, HOST);

        assertThat(result.stdout()).as(result.output())
                .contains("UNARY echo:from-agent")
                .contains("STREAM part 1 of agent|part 2 of agent|part 3 of agent");
        assertThat(fx.server.calls()).hasSize(2)
                .allSatisfy(call -> assertThat(call.credentials()).containsExactly(fx.secrets.get("GRPC_API_KEY")));
        assertThat(fx.events).filteredOn(e -> e.host().equals(HOST) && e.decision() == Decision.INJECTED).hasSizeGreaterThanOrEqualTo(2);
        assertThat(Canaries.findLeaks(fx.secrets, List.of(), Map.of("child output", result.output()))).isEmpty();
    }
}
