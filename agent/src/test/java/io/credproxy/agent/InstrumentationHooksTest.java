package io.credproxy.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.Type;

/**
 * Every hook of every instrumentation against the real classes: in the JDK running the test and the
 * client libraries on the test class path (OkHttp 4.12, Apache HttpClient 5), then in a child JVM of
 * every JDK installed on the machine ({@code /usr/lib/jvm/*} with a {@code bin/java}, or
 * {@code credproxy.jdks.dir}), so that the agent is known to hold on each JDK build CI has, not
 * only on the one Maven runs on. {@link KnownShapesTest} covers the shapes this machine does not have.
 */
class InstrumentationHooksTest {
    private static final Path JDKS = Path.of(System.getProperty("credproxy.jdks.dir", "/usr/lib/jvm"));

    static Stream<String> hookedTypes() {
        return HookCheck.hooksByType().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("hookedTypes")
    void everyHookFindsItsMethodAndTheWovenClassVerifies(String type) {
        assertThat(HookCheck.problem(type, HookCheck.hooksByType().get(type))).as(type).isNull();
    }

    @TestFactory
    Stream<DynamicTest> everyJdkOnTheMachinePassesTheSameCheck() throws IOException {
        List<Path> jdks = installedJdks();
        assertThat(jdks).as("JDKs under " + JDKS).isNotEmpty();
        assertThat(jdks).as("the JDK running the build is among those checked")
                .contains(Path.of(System.getProperty("java.home")).toRealPath());
        String java25 = System.getProperty("credproxy.java25.home", "");
        if (!java25.isEmpty() && Files.isExecutable(Path.of(java25, "bin", "java"))) {
            assertThat(jdks).contains(Path.of(java25).toRealPath());
        }
        // One dynamic test per JDK found: a JDK found and not checked cannot pass silently.
        return jdks.stream().map(jdk -> DynamicTest.dynamicTest(jdk.toString(), () -> checkIn(jdk)));
    }

    @Test
    void everyCallNamesAPublicStaticHelperWithThatExactDescriptor() throws Exception {
        List<Call> calls = new ArrayList<>();
        for (List<MethodHook> hooks : HookCheck.hooksByType().values()) {
            for (MethodHook hook : hooks) {
                calls.addAll(hook.calls());
            }
        }
        assertThat(calls).hasSizeGreaterThan(15);
        for (Call call : calls) {
            assertThat(helper(call)).as(call.toString()).isNotNull();
        }
    }

    @Test
    void onlyTheSocketFenceIsRequired() {
        List<String> required = new ArrayList<>();
        for (List<MethodHook> hooks : HookCheck.hooksByType().values()) {
            for (MethodHook hook : hooks) {
                if (hook.isRequired()) {
                    required.add(hook.typeName());
                }
            }
        }
        // The JDK's fence, and the last Java methods before a native or asynchronous connect (Netty's
        // unix socket and io_uring channel, in any package, required once they load).
        assertThat(required).containsExactly("java.net.Socket", "sun.nio.ch.NioSocketImpl", "sun.nio.ch.SocketChannelImpl",
                "sun.nio.ch.SocketChannelImpl", "sun.nio.ch.AsynchronousSocketChannelImpl", "io.netty.channel.unix.Socket",
                "io.netty.channel.uring.AbstractIoUringChannel");
    }

    /** Runs {@link HookCheck} in a child JVM of {@code jdk}, with the test's class path and JDK exports. */
    private static void checkIn(Path jdk) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(jdk.resolve("bin/java").toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-exports")) {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(HookCheck.class.getName());
        Path output = Files.createTempFile("hook-check", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the hook check on " + jdk + " did not finish in 120 s");
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(jdk + ":\n" + printed).isZero();
            assertThat(printed).as(jdk.toString()).contains("OK " + HookCheck.hooksByType().size() + " types");
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Each JDK under {@link #JDKS} with a {@code bin/java}, once (the Debian links name one JDK twice). */
    static List<Path> installedJdks() throws IOException {
        Map<Path, Path> byRealPath = new LinkedHashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(JDKS)) {
            for (Path entry : entries) {
                if (Files.isExecutable(entry.resolve("bin/java"))) {
                    Path real = entry.toRealPath();
                    byRealPath.putIfAbsent(real, real);
                }
            }
        }
        List<Path> jdks = new ArrayList<>(byRealPath.keySet());
        jdks.sort(null);
        return jdks;
    }

    private static Method helper(Call call) throws ClassNotFoundException {
        Class<?> owner = Class.forName(call.owner().replace('/', '.'));
        for (Method method : owner.getMethods()) {
            if (method.getName().equals(call.name()) && Type.getMethodDescriptor(method).equals(call.descriptor())
                    && Modifier.isStatic(method.getModifiers())) {
                return method;
            }
        }
        throw new AssertionError("no public static " + call + " " + call.descriptor());
    }
}
