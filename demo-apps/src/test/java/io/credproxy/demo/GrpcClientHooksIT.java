package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.demo.ChildJvm.Jdk;
import io.credproxy.demo.ChildJvm.Libraries;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.Canaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gRPC-java ({@code grpc-netty-shaded}) at the agent's transport hook, on Java 17 and 25: with gRPC's
 * default proxy detection and with an app detector that answers "no proxy", under
 * {@code sockets=tunnel} and {@code sockets=block}, both calls reach the TLS gRPC server through the
 * daemon as a CONNECT proxy (h2 inside), with the rule's key only the daemon holds and the app named
 * by the CONNECT's identity. Under {@code block} a direct connection would be refused; the app's report
 * shows no forced connect (to a transparent listener), i.e. that the calls went as to a proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcClientHooksIT {
    private static final String HOST = GrpcDaemonFixture.HOST;

    private GrpcDaemonFixture fx;
    private Path hosts;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        fx = new GrpcDaemonFixture(dir);
        // The app's world: the name resolves to loopback, where nothing serves gRPC on 443: the app's own
        // resolver (the bypassing client resolves before it connects) finds it, only the daemon reaches the server.
        hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n127.0.0.1 " + HOST + "\n");
    }

    @AfterAll
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Jdk jdk : Jdk.values()) {
            for (String sockets : List.of("tunnel", "block")) {
                cases.add(Arguments.of(jdk, sockets, GrpcAgentClient.class));
                cases.add(Arguments.of(jdk, sockets, GrpcBypassClient.class));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} sockets={1} {2}")
    @MethodSource("cases")
    void everyGrpcCallGoesThroughTheDaemonAsAProxyWithTheAppsName(Jdk jdk, String sockets, Class<?> client) throws Exception {
        String app = "grpc-" + client.getSimpleName().toLowerCase(Locale.ROOT) + "-" + sockets + "-" + jdk.name().toLowerCase(Locale.ROOT);
        fx.server.clear();
        ChildJvm.Result result = new ChildJvm(jdk)
                .option("-Djdk.net.hosts.file=" + hosts)
                .libraries(Libraries.GRPC)
                .agent(fx.agentOptions(app) + ",sockets=" + sockets)
                .run(client, HOST);

        assertThat(result.stdout()).as(result.output())
                .contains("UNARY echo:from-agent")
                .contains("STREAM part 1 of agent|part 2 of agent|part 3 of agent");
        assertThat(fx.server.calls()).hasSize(2)
                .allSatisfy(call -> assertThat(call.credentials()).containsExactly(fx.secrets.get("GRPC_API_KEY")));
        assertThat(fx.events).as("the daemon's audit names the app (the CONNECT's identity)")
                .filteredOn(e -> e.host().equals(HOST) && e.decision() == Decision.INJECTED && app.equals(e.app()))
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(Canaries.findLeaks(fx.secrets, List.of(), Map.of("child output", result.output()))).isEmpty();
        // As a proxy, not as a forced connect to a transparent listener (which gRPC's event loop would have run).
        AppReport report = new LiveReport(fx.daemon.adminAddress()).app(app, r -> r.instrumentedClients().contains("grpc-netty-shaded"));
        assertThat(report.bypasses()).as(result.output()).isEmpty();
    }
}
