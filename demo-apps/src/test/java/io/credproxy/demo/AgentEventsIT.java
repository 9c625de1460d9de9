package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.demo.ChildJvm.Jdk;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.BypassReport;
import io.credproxy.protocol.report.Report;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent's own events reach the daemon: each app's report (the daemon's {@code GET /report}) lists
 * the clients the agent instrumented in that JVM and every raw socket it tunneled or blocked, with the
 * application frame that opened it. The events are sent asynchronously, the last of them by the
 * agent's shutdown hook, so they are there once the child JVM has exited.
 */
class AgentEventsIT extends DemoWorldIT {
    private static final ObjectMapper JSON = AuditJson.newMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void rawSocketsTheAgentTunneledAreReportedWithTheFrameThatOpenedThem(Jdk jdk) throws Exception {
        String app = "events-tunnel-" + jdk.name().toLowerCase();
        for (Class<?> demo : new Class<?>[] {RawSocketDemo.class, SocketChannelDemo.class}) {
            ChildJvm.Result result = TestWorld.child(world, jdk, UUID.randomUUID().toString())
                    .agent(world.agentOptions(app)).run(demo);
            assertThat(result.stdout()).as(result.output()).contains("HTTP 200");
        }

        AppReport report = appReport(app);
        assertThat(report.instrumentedClients()).contains("java.net.Socket", "java.nio.channels.SocketChannel", "tls");
        assertThat(report.bypasses()).extracting(BypassReport::kind, BypassReport::client, BypassReport::host,
                        BypassReport::port, BypassReport::frame)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(BypassReport.TUNNELED, "java.net.Socket", DemoWorld.CLOUDFLARE,
                                world.upstream.port(), RawSocketDemo.class.getName() + ".main"),
                        org.assertj.core.groups.Tuple.tuple(BypassReport.TUNNELED, "java.nio.channels.SocketChannel",
                                DemoWorld.CLOUDFLARE, world.upstream.port(), SocketChannelDemo.class.getName() + ".main"));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void rawSocketsTheAgentBlockedAreReportedWithTheFrameThatOpenedThem(Jdk jdk) throws Exception {
        String app = "events-block-" + jdk.name().toLowerCase();
        ChildJvm.Result result = TestWorld.child(world, jdk, UUID.randomUUID().toString())
                .agent(world.agentOptions(app) + ",sockets=block").run(RawSocketDemo.class);
        assertThat(result.stdout()).as(result.output()).contains("credproxy: blocked direct connection to");

        AppReport report = appReport(app);
        assertThat(report.bypasses()).singleElement().satisfies(bypass -> {
            assertThat(bypass.blocked()).isTrue();
            assertThat(bypass.client()).isEqualTo("java.net.Socket");
            assertThat(bypass.destination()).isEqualTo(DemoWorld.CLOUDFLARE + ":" + world.upstream.port());
            assertThat(bypass.frame()).isEqualTo(RawSocketDemo.class.getName() + ".main");
            assertThat(bypass.count()).isEqualTo(1);
        });
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aClientForcedThroughTheDaemonIsReportedInstrumentedWithNoBypass(Jdk jdk) throws Exception {
        String app = "events-okhttp-" + jdk.name().toLowerCase();
        ChildJvm.Result result = TestWorld.child(world, jdk, UUID.randomUUID().toString())
                .agent(world.agentOptions(app)).run(OkHttpDemo.class);
        assertThat(result.stdout()).as(result.output()).contains("HTTP 200");

        AppReport report = appReport(app);
        assertThat(report.instrumentedClients()).contains("okhttp", "tls", "java.net.Socket");
        assertThat(report.bypasses()).isEmpty();
        assertThat(report.requests()).isPositive();
    }

    /** The app's entry in the daemon's live report; waits briefly for the aggregator, fails if it never shows. */
    private AppReport appReport(String app) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + world.admin().getPort() + "/report")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            Report report = JSON.readValue(response.body(), Report.class);
            for (AppReport candidate : report.apps()) {
                if (candidate.app().equals(app) && !candidate.instrumentedClients().isEmpty()) {
                    return candidate;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no report for app " + app + " in " + response.body());
            }
            Thread.sleep(100);
        }
    }
}
