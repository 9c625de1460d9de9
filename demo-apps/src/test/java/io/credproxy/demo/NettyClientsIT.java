package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.demo.ChildJvm.Jdk;
import io.credproxy.demo.ChildJvm.Libraries;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.testing.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The clients built on Netty, and the JDK's asynchronous channel, against the real daemon on Java 17
 * and 25: plain Netty on epoll, io_uring and NIO, Reactor Netty on epoll, io_uring and NIO, Vert.x with
 * {@code preferNativeTransport}, AsyncHttpClient with {@code useNativeTransport}, and
 * {@code AsynchronousSocketChannel}. None of them passes {@code Socket} or a blocking
 * {@code SocketChannel}, and none is configured with a proxy.
 *
 * <p>Each set of families runs in one child JVM ({@link ClientFamilies}), each family printing its own
 * line and sending one request tagged with the run. With the agent, under {@code sockets=tunnel} and
 * under {@code sockets=block} alike (these connects are forced through the daemon, not tunneled raw),
 * every family gets 200 and every request that reached the upstream carries the credential the daemon
 * added; without the agent the same JVM reaches the upstream directly with the placeholder (so the
 * test can fail), and never with the credential.
 */
class NettyClientsIT extends DemoWorldIT {
    private LiveReport liveReport;

    @BeforeAll
    void liveReport() {
        liveReport = new LiveReport(world);
    }

    /**
     * A set of families run in one JVM, the libraries and JVM options it needs, and the channel type
     * Reactor Netty must report (it takes io_uring over epoll when both are there).
     */
    record FamilySet(String name, List<String> families, Libraries libraries, List<String> jvmOptions, String reactorChannel) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final FamilySet EPOLL = new FamilySet("epoll", List.of("netty-epoll", "reactor-netty", "vertx", "async-http-client"),
            Libraries.NETTY_EPOLL, List.of(), "EpollSocketChannel");
    static final FamilySet IO_URING = new FamilySet("io_uring", List.of("netty-io_uring", "reactor-netty"),
            Libraries.NETTY, List.of(), "IoUringSocketChannel");
    static final FamilySet NIO = new FamilySet("nio", List.of("netty-nio", "reactor-netty", "async-channel"),
            Libraries.NETTY, List.of("-Dreactor.netty.native=false"), "NioSocketChannel");

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Jdk jdk : Jdk.values()) {
            for (FamilySet set : List.of(EPOLL, IO_URING, NIO)) {
                cases.add(Arguments.of(jdk, set));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void withTheAgentEveryFamilyGoesThroughTheDaemonUnderTunnelAndBlock(Jdk jdk, FamilySet set) throws Exception {
        for (String sockets : List.of("tunnel", "block")) {
            String run = UUID.randomUUID().toString();
            String app = "netty-" + set.name() + "-" + sockets + "-" + jdk.name().toLowerCase();
            ChildJvm child = TestWorld.child(world, jdk, run).libraries(set.libraries())
                    .agent(world.agentOptions(app) + ",sockets=" + sockets);
            set.jvmOptions().forEach(child::option);
            ChildJvm.Result result = child.run(ClientFamilies.class, set.families().toArray(String[]::new));

            String what = jdk + " " + set + " sockets=" + sockets + ": " + result.output();
            for (String family : set.families()) {
                assertThat(result.stdout()).as(what).contains(label(family) + ": HTTP 200");
            }
            assertThat(result.stdout()).as(what).contains("reactor-netty: connected on " + set.reactorChannel());
            List<RecordedRequest> seen = world.requestsFor(run);
            assertThat(seen).as(what).hasSize(set.families().size())
                    .allSatisfy(r -> assertThat(r.firstHeader("Authorization")).isEqualTo("Bearer " + world.secret()));
            List<AuditEvent> audit = world.auditFor(app);
            assertThat(audit).as("the daemon's audit names the app").isNotEmpty();
            assertThat(result.output()).doesNotContain(world.secret());
            // Reactor Netty, Vert.x and AsyncHttpClient go to the daemon as to their proxy (client-level hooks):
            // none of their connects is a forced one, which their event loops would have run.
            AppReport report = liveReport.app(app, r -> r.instrumentedClients().contains("reactor-netty"));
            assertThat(report.bypasses()).as(what).noneSatisfy(b -> assertThat(b.frame()).startsWith("thread reactor-"))
                    .noneSatisfy(b -> assertThat(b.frame()).startsWith("thread vert.x-"))
                    .noneSatisfy(b -> assertThat(b.frame()).startsWith("thread AsyncHttpClient-"));
            if (set.families().contains("vertx")) {
                assertThat(report.instrumentedClients()).contains("vertx-http-client", "async-http-client");
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void withoutTheAgentEveryFamilyGoesDirectAndTheCredentialNeverArrives(Jdk jdk, FamilySet set) throws Exception {
        String run = UUID.randomUUID().toString();
        ChildJvm child = TestWorld.child(world, jdk, run).libraries(set.libraries());
        set.jvmOptions().forEach(child::option);
        ChildJvm.Result result = child.run(ClientFamilies.class, set.families().toArray(String[]::new));

        for (String family : set.families()) {
            assertThat(result.stdout()).as(result.output()).contains(label(family) + ": HTTP 401");
        }
        assertThat(world.requestsFor(run)).hasSize(set.families().size())
                .allSatisfy(r -> assertThat(r.firstHeader("Authorization")).isEqualTo("Bearer " + DemoWorld.PLACEHOLDER));
    }

    /** What a family's outcome line starts with. */
    static String label(String family) {
        return family.equals("async-channel") ? "java.nio.channels.AsynchronousSocketChannel" : family;
    }
}
