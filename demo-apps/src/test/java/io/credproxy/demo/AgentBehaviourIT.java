package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.demo.ChildJvm.Jdk;
import io.credproxy.demo.ChildJvm.Libraries;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent's contract beyond routing: {@code sockets=block}, failing closed with the daemon down, bad
 * options, options from the environment, a runtime attach, an application with its own Byte Buddy,
 * and the shaded jar itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentBehaviourIT {
    private DemoWorld world;

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

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void socketsBlockRefusesRawSocketsAndChannelsWithTheContractMessage(Jdk jdk) throws Exception {
        for (Class<?> app : new Class<?>[] {RawSocketDemo.class, SocketChannelDemo.class}) {
            String run = UUID.randomUUID().toString();
            ChildJvm.Result result = TestWorld.child(world, jdk, run).agent(world.agentOptions("blocked") + ",sockets=block").run(app);
            assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
            assertThat(result.stdout()).contains("java.net.ConnectException: credproxy: blocked direct connection to "
                    + DemoWorld.CLOUDFLARE + ":" + world.upstream.port());
            assertThat(world.requestsFor(run)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void socketsBlockStillLetsTheForcedHttpClientsThrough(Jdk jdk) throws Exception {
        String run = UUID.randomUUID().toString();
        ChildJvm.Result result = TestWorld.child(world, jdk, run).agent(world.agentOptions("block-http") + ",sockets=block")
                .run(JdkHttpClientDemo.class);
        assertThat(result.stdout()).as(result.output()).contains("HTTP 200");
        assertThat(world.requestsFor(run)).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void withTheDaemonDownEveryClientFailsAndNothingGoesDirect(Jdk jdk) throws Exception {
        int closed = closedPort();
        String options = "proxy=127.0.0.1:" + closed + ",admin=127.0.0.1:" + closed + ",ca=" + world.daemonCaPem;
        for (DemoAppsIT.Demo demo : DemoAppsIT.DEMOS) {
            String run = UUID.randomUUID().toString();
            ChildJvm.Result result = TestWorld.child(world, jdk, run).libraries(demo.libraries()).agent(options).run(demo.main());
            assertThat(result.stdout()).as(demo + ": " + result.output()).contains("FAILED").doesNotContain("HTTP 200");
            assertThat(world.requestsFor(run)).as(demo.toString()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void badOptionsPrintOneLineAndExitTwoBeforeTheAppRuns(Jdk jdk) throws Exception {
        for (String options : new String[] {"sockets=maybe", "proxy=nonsense", "colour=blue", "direct=10.0.0.0/99", "ca=/nonexistent.pem"}) {
            ChildJvm.Result result = TestWorld.child(world, jdk, "bad").agent(options).run(JdkHttpClientDemo.class);
            assertThat(result.exitCode()).as(options + ": " + result.output()).isEqualTo(2);
            assertThat(result.stdout()).as("the app never ran").isEmpty();
            assertThat(result.stderr().strip().lines()).as(options).hasSize(1)
                    .first().asString().startsWith("credproxy: bad agent option: ");
        }
    }

    @Test
    void optionsComeFromTheEnvironmentAndAgentArgumentsWin() throws Exception {
        String run = UUID.randomUUID().toString();
        ChildJvm.Result blocked = TestWorld.child(world, Jdk.JAVA_17, run).env("CREDPROXY_SOCKETS", "block")
                .agent(world.agentOptions("env")).run(RawSocketDemo.class);
        assertThat(blocked.stdout()).contains("credproxy: blocked direct connection to");

        String run2 = UUID.randomUUID().toString();
        ChildJvm.Result tunneled = TestWorld.child(world, Jdk.JAVA_17, run2).env("CREDPROXY_SOCKETS", "block")
                .env("CREDPROXY_PROXY", "127.0.0.1:" + world.proxy().getPort())
                .env("CREDPROXY_ADMIN", "127.0.0.1:" + world.admin().getPort())
                .agent("sockets=tunnel,app=env-override").run(RawSocketDemo.class);
        assertThat(tunneled.stdout()).as(tunneled.output()).contains("HTTP 200");
        assertThat(world.auditFor("env-override")).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aRuntimeAttachForcesClientsBuiltBeforeIt(Jdk jdk) throws Exception {
        String run = UUID.randomUUID().toString();
        String app = "attached-" + jdk.name().toLowerCase();
        ChildJvm.Result result = TestWorld.child(world, jdk, run)
                .option("-Djdk.attach.allowAttachSelf=true").option("-XX:+EnableDynamicAgentLoading")
                .run(AttachLaterApp.class, ChildJvm.AGENT_JAR.toAbsolutePath().toString(), world.agentOptions(app));
        assertThat(result.stdout()).as(result.output())
                .contains("jdk-httpclient (built before attach): HTTP 200", "okhttp (built before attach): HTTP 200");
        assertThat(world.requestsFor(run)).hasSize(2)
                .allSatisfy(r -> assertThat(r.firstHeader("Authorization")).isEqualTo("Bearer " + world.secret()));
        assertThat(world.auditFor(app)).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void anApplicationWithItsOwnByteBuddyStillWorks(Jdk jdk) throws Exception {
        String run = UUID.randomUUID().toString();
        ChildJvm.Result result = TestWorld.child(world, jdk, run).libraries(Libraries.OWN_BYTEBUDDY)
                .agent(world.agentOptions("own-bytebuddy")).run(OwnByteBuddyApp.class);
        assertThat(result.stdout()).as(result.output()).contains("made by the app's Byte Buddy", "byte-buddy-1.14", "HTTP 200");
        assertThat(world.requestsFor(run)).isNotEmpty()
                .allSatisfy(r -> assertThat(r.firstHeader("Authorization")).isEqualTo("Bearer " + world.secret()));
    }

    @Test
    void theAgentJarIsSelfContainedAndRelocated() throws Exception {
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            assertThat(jar.stream().map(java.util.zip.ZipEntry::getName))
                    .anyMatch(n -> n.startsWith("io/credproxy/agent/shaded/asm/"))
                    .anyMatch(n -> n.startsWith("io/credproxy/agent/shaded/protocol/"))
                    .noneMatch(n -> n.startsWith("org/objectweb/") || n.startsWith("net/bytebuddy/") || n.startsWith("okhttp3/")
                            || n.startsWith("org/apache/") || n.startsWith("io/credproxy/protocol/")
                            || n.startsWith("META-INF/versions/"));
            Manifest manifest = jar.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Premain-Class")).isEqualTo("io.credproxy.agent.CredproxyAgent");
            assertThat(manifest.getMainAttributes().getValue("Agent-Class")).isEqualTo("io.credproxy.agent.CredproxyAgent");
            assertThat(manifest.getMainAttributes().getValue("Can-Retransform-Classes")).isEqualTo("true");
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
