package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.demo.ChildJvm.Jdk;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.BypassReport;
import io.credproxy.protocol.report.InstrumentationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent's own events reach the daemon: each app's report (the daemon's {@code GET /report}) lists
 * the clients the agent instrumented in that JVM and every raw socket it tunneled or blocked, with the
 * application frame that opened it. The events are sent asynchronously, the last of them by the
 * agent's shutdown hook, so they are there once the child JVM has exited.
 */
class AgentEventsIT extends DemoWorldIT {
    private LiveReport liveReport;

    @BeforeAll
    void liveReport() {
        liveReport = new LiveReport(world);
    }

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

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aHookThatFindsNothingIsReportedAsAnInstrumentationError(Jdk jdk, @TempDir Path classes) throws Exception {
        // An Apache classic client of a shape the agent does not know: no determineRoute(..) returning an HttpRoute.
        Path source = Files.createDirectories(classes.resolve("src/org/apache/hc/client5/http/impl/classic"))
                .resolve("InternalHttpClient.java");
        Files.writeString(source, "package org.apache.hc.client5.http.impl.classic;\n"
                + "public class InternalHttpClient { public Object route(Object target) { return target; } }\n");
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d",
                classes.resolve("out").toString(), source.toString())).isZero();
        String app = "events-error-" + jdk.name().toLowerCase();

        ChildJvm.Result result = TestWorld.child(world, jdk, UUID.randomUUID().toString())
                .classpathFirst(classes.resolve("out")).expectingInstrumentationErrors()
                .agent(world.agentOptions(app)).run(LoadsAClass.class, "org.apache.hc.client5.http.impl.classic.InternalHttpClient");

        assertThat(result.stdout()).as(result.output()).contains("loaded org.apache.hc.client5.http.impl.classic.InternalHttpClient");
        assertThat(result.stderr()).contains("credproxy: cannot instrument org.apache.hc.client5.http.impl.classic.InternalHttpClient"
                + " (apache-httpclient5): found no method for");
        AppReport report = appReport(app, r -> !r.instrumentationFailures().isEmpty());
        assertThat(report.instrumentationFailures()).containsExactly(new InstrumentationFailure("apache-httpclient5",
                "org.apache.hc.client5.http.impl.classic.InternalHttpClient.determineRoute(..) -> org.apache.hc.client5.http.HttpRoute"));
        assertThat(report.instrumentedClients()).doesNotContain("apache-httpclient5");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void nativeAndAsynchronousConnectsTheAgentForcedAreReportedWithTheLibraryAndFrame(Jdk jdk) throws Exception {
        String app = "events-forced-" + jdk.name().toLowerCase();
        ChildJvm.Result result = TestWorld.child(world, jdk, UUID.randomUUID().toString())
                .libraries(ChildJvm.Libraries.NETTY_EPOLL).agent(world.agentOptions(app) + ",sockets=block")
                .run(ClientFamilies.class, "netty-epoll", "async-channel");
        assertThat(result.stdout()).as(result.output()).contains("netty-epoll: HTTP 200",
                "java.nio.channels.AsynchronousSocketChannel: HTTP 200");

        AppReport report = appReport(app, r -> r.bypasses().size() >= 2);
        assertThat(report.instrumentedClients()).contains("netty-native", "netty-epoll", "java.nio.channels.AsynchronousSocketChannel");
        assertThat(report.bypasses()).extracting(BypassReport::kind, BypassReport::client, BypassReport::host, BypassReport::port)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(BypassReport.TUNNELED, "io.netty.channel.epoll.LinuxSocket",
                                DemoWorld.CLOUDFLARE, world.upstream.port()),
                        org.assertj.core.groups.Tuple.tuple(BypassReport.TUNNELED, "java.nio.channels.AsynchronousSocketChannel",
                                DemoWorld.CLOUDFLARE, world.upstream.port()));
        // Netty connects on its event loop, where no application frame is: the loop's thread is named instead.
        assertThat(report.bypasses()).extracting(BypassReport::frame)
                .anySatisfy(frame -> assertThat(frame).startsWith("thread "))
                .contains(AsyncChannelDemo.class.getName() + ".call");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void awsCrtsNativeLibraryIsRefusedAndReported(Jdk jdk) throws Exception {
        ChildJvm.Result without = TestWorld.child(world, jdk, "no-agent").run(AwsCrtDemo.class);
        assertThat(without.stdout()).as(without.output()).contains("aws-crt: native library loaded");

        String app = "events-jni-" + jdk.name().toLowerCase();
        ChildJvm.Result result = TestWorld.child(world, jdk, UUID.randomUUID().toString()).agent(world.agentOptions(app))
                .run(AwsCrtDemo.class);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.stdout()).contains("aws-crt: FAILED java.lang.UnsatisfiedLinkError: credproxy: refused to load"
                + " the native library aws-crt-jni (AWS Common Runtime");
        AppReport report = appReport(app, r -> !r.instrumentationFailures().isEmpty());
        assertThat(report.instrumentationFailures()).containsExactly(new InstrumentationFailure("native:aws-crt-jni",
                "refused to load libaws-crt-jni at " + AwsCrtDemo.class.getName() + ".main"));
    }

    /** Loads the class its argument names, and says so. */
    public static final class LoadsAClass {
        public static void main(String[] args) throws Exception {
            System.out.println("loaded " + Class.forName(args[0]).getName());
        }
    }

    private AppReport appReport(String app) {
        return liveReport.app(app);
    }

    private AppReport appReport(String app, Predicate<AppReport> ready) {
        return liveReport.app(app, ready);
    }
}
