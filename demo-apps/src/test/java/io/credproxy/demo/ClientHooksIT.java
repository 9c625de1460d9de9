package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.demo.ChildJvm.Jdk;
import io.credproxy.demo.ChildJvm.Libraries;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.BypassReport;
import io.credproxy.testing.RecordedRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The clients the agent forces at their own proxy API, against the real daemon on Java 17 and 25:
 * Apache HttpClient 4 (with a route planner that never asks for a proxy, and the deprecated
 * {@code DefaultHttpClient}), Jetty 12's
 * {@code HttpClient}, and the AWS SDK v2 (S3 {@code GetObject} with an endpoint override) on its
 * Apache, URL-connection and Netty clients; all in one child JVM per run, none configured with a proxy.
 *
 * <p>With the agent, under {@code sockets=tunnel} and under {@code sockets=block} alike, every family
 * gets 200 and every request that reached the upstream carries the credential the daemon added (for
 * the SDK, in place of its signature). Under {@code block} the socket fence refuses every direct
 * connection, so only the client-level hooks (or, for the SDK's Netty client on NIO, the transparent
 * listener) can have got them out; under {@code tunnel} the app's report shows that the fence tunneled
 * nothing but the Netty client's forced connect, i.e. that the others went to the daemon as to a proxy.
 * Without the agent the same JVM reaches the upstream directly and never with the credential.
 */
class ClientHooksIT extends DemoWorldIT {
    static final List<String> FAMILIES = List.of("apache-httpclient4", "apache-httpclient4-legacy", "jetty12", "aws-sdk-apache", "aws-sdk-url-connection", "aws-sdk-netty");

    private LiveReport liveReport;

    @BeforeAll
    void liveReport() {
        liveReport = new LiveReport(world);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void withTheAgentEveryFamilyGoesThroughTheDaemonUnderTunnelAndBlock(Jdk jdk) throws Exception {
        for (String sockets : List.of("tunnel", "block")) {
            String run = UUID.randomUUID().toString();
            String app = "client-hooks-" + sockets + "-" + jdk.name().toLowerCase();
            ChildJvm.Result result = TestWorld.child(world, jdk, run).libraries(Libraries.JVM_CLIENTS)
                    .agent(world.agentOptions(app) + ",sockets=" + sockets)
                    .run(ClientFamilies.class, FAMILIES.toArray(String[]::new));

            String what = jdk + " sockets=" + sockets + ": " + result.output();
            for (String family : FAMILIES) {
                assertThat(result.stdout()).as(what).contains(family + ": HTTP 200");
            }
            List<RecordedRequest> seen = world.requestsFor(run);
            assertThat(seen).as(what).hasSize(FAMILIES.size())
                    .allSatisfy(r -> assertThat(r.firstHeader("Authorization")).isEqualTo("Bearer " + world.secret()));
            assertThat(world.auditFor(app)).as("the daemon's audit names the app").hasSizeGreaterThanOrEqualTo(FAMILIES.size());
            assertThat(result.output()).doesNotContain(world.secret());

            AppReport report = liveReport.app(app, r -> r.instrumentedClients().contains("jetty-client12"));
            assertThat(report.instrumentedClients()).as(what).contains("apache-httpclient4", "apache-httpclient4-legacy", "jetty-client12", "java.net.HttpURLConnection");
            assertThat(report.bypasses()).as("what the fence carried or refused: only the SDK's Netty event loop, forced; " + what)
                    .allSatisfy(b -> {
                        assertThat(b.kind()).isEqualTo(BypassReport.TUNNELED);
                        assertThat(b.client()).startsWith("java.nio.channels.SocketChannel");
                        assertThat(b.frame()).startsWith("thread aws-java-sdk-NettyEventLoop");
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void withoutTheAgentEveryFamilyGoesDirectAndTheCredentialNeverArrives(Jdk jdk) throws Exception {
        String run = UUID.randomUUID().toString();
        ChildJvm.Result result = TestWorld.child(world, jdk, run).libraries(Libraries.JVM_CLIENTS)
                .run(ClientFamilies.class, FAMILIES.toArray(String[]::new));

        for (String family : FAMILIES) {
            assertThat(result.stdout()).as(result.output()).contains(family + ": HTTP 401");
        }
        assertThat(world.requestsFor(run)).hasSize(FAMILIES.size())
                .allSatisfy(r -> assertThat(r.firstHeader("Authorization")).doesNotContain(world.secret()).isNotNull());
    }
}
