package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.demo.ChildJvm.Jdk;
import io.credproxy.demo.ChildJvm.Libraries;
import io.credproxy.testing.RecordedRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every demo app, on Java 17 and Java 25, with and without the agent, against the real daemon.
 *
 * <p>The child JVMs resolve {@code api.cloudflare.com} to the upstream's loopback address and trust
 * the upstream's CA, so without the agent each app reaches the upstream directly, with the
 * placeholder token. With the agent, the same app, doing the same thing, goes through the daemon:
 * the upstream sees the injected credential, the daemon's audit names the app (its
 * {@code Proxy-Authorization}), and the app's output never holds the secret. Runs with the agent
 * also verify the bytecode of every JDK class the agent wove.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoAppsIT {
    private DemoWorld world;

    /** A demo app as a test case: its main class, the client jars it runs with. */
    record Demo(String name, Class<?> main, Libraries libraries) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Demo> DEMOS = List.of(
            new Demo("jdk-httpclient", JdkHttpClientDemo.class, Libraries.STANDARD),
            new Demo("urlconnection", UrlConnectionDemo.class, Libraries.STANDARD),
            new Demo("okhttp4", OkHttpDemo.class, Libraries.STANDARD),
            new Demo("okhttp5", OkHttpDemo.class, Libraries.OKHTTP5),
            new Demo("apache-classic", ApacheClassicDemo.class, Libraries.STANDARD),
            new Demo("apache-async", ApacheAsyncDemo.class, Libraries.STANDARD),
            new Demo("raw-socket", RawSocketDemo.class, Libraries.STANDARD),
            new Demo("socket-channel", SocketChannelDemo.class, Libraries.STANDARD));

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Jdk jdk : Jdk.values()) {
            for (Demo demo : DEMOS) {
                cases.add(Arguments.of(jdk, demo));
            }
        }
        return cases.stream();
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        world = DemoWorld.start(dir);
    }

    @AfterAll
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void withTheAgentTheUpstreamSeesTheInjectedCredential(Jdk jdk, Demo demo) throws Exception {
        String run = UUID.randomUUID().toString();
        String app = demo.name() + "-" + jdk.name().toLowerCase();
        // The JVM verifies the JDK's own classes only when told to: this makes it check every JDK class
        // the agent wove (the application's and libraries' classes are verified anyway).
        ChildJvm.Result result = TestWorld.child(world, jdk, run).libraries(demo.libraries())
                .option("-XX:+UnlockDiagnosticVMOptions").option("-XX:+BytecodeVerificationLocal")
                .agent(world.agentOptions(app)).run(demo.main());

        assertThat(result.stdout()).as(result.output()).contains("HTTP 200").doesNotContain("FAILED");
        List<RecordedRequest> seen = world.requestsFor(run);
        assertThat(seen).as("requests the upstream received").isNotEmpty()
                .allSatisfy(r -> assertThat(r.firstHeader("Authorization")).isEqualTo("Bearer " + world.secret()));
        assertThat(world.auditFor(app)).as("daemon audit events naming the app").isNotEmpty();
        assertThat(result.output()).doesNotContain(world.secret());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void withoutTheAgentTheAppGoesDirectAndTheCredentialNeverArrives(Jdk jdk, Demo demo) throws Exception {
        String run = UUID.randomUUID().toString();
        ChildJvm.Result result = TestWorld.child(world, jdk, run).libraries(demo.libraries()).run(demo.main());

        List<RecordedRequest> seen = world.requestsFor(run);
        assertThat(seen).noneSatisfy(r -> assertThat(r.firstHeader("Authorization")).contains(world.secret()));
        if (demo.main() == OkHttpDemo.class) {
            // Direct, the real (test) certificate meets the pin and fails it: nothing is sent.
            assertThat(result.stdout()).contains("Certificate pinning failure");
            assertThat(seen).isEmpty();
        } else {
            // The direct path works, with the placeholder, which the (stand-in) API refuses: this is
            // the connection the agent is there to stop.
            assertThat(result.stdout()).as(result.output()).contains("HTTP 401");
            assertThat(seen).isNotEmpty().allSatisfy(r ->
                    assertThat(r.firstHeader("Authorization")).isEqualTo("Bearer " + DemoWorld.PLACEHOLDER));
        }
    }
}
