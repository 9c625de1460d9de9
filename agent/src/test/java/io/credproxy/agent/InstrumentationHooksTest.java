package io.credproxy.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.HookWeaver;
import io.credproxy.agent.weave.MethodHook;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.Type;

/**
 * Every hook of every instrumentation against the real classes: the JDK running the test (Java 17 in
 * the build; the ITs run the agent on Java 25 too) and the client libraries on the test class path
 * (OkHttp 4.12, Apache HttpClient 5).
 */
class InstrumentationHooksTest {
    static Stream<String> hookedTypes() {
        return hooksByType().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("hookedTypes")
    void everyHookFindsItsMethodAndTheWovenClassVerifies(String type) throws Exception {
        List<MethodHook> hooks = hooksByType().get(type);
        byte[] original = classFile(type);
        if (original == null) {
            // Only AbstractPlainSocketImpl may be absent (gone after Java 17's -Djdk.net.usePlainSocketImpl).
            assertThat(type).isEqualTo("java.net.AbstractPlainSocketImpl");
            return;
        }
        HookWeaver.Result result = HookWeaver.weave(original, hooks);
        assertThat(result.applied).containsExactlyInAnyOrderElementsOf(hooks);
        if (!type.startsWith("java.")) { // java.* cannot be defined outside the JDK; the ITs verify those
            Class<?> woven = new VerifyingLoader(type, result.classFile).loadClass(type);
            woven.getDeclaredMethods(); // links: the verifier checks the woven frames and stack
        }
    }

    @Test
    void everyCallNamesAPublicStaticHelperWithThatExactDescriptor() throws Exception {
        List<Call> calls = new ArrayList<>();
        for (List<MethodHook> hooks : hooksByType().values()) {
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
        for (List<MethodHook> hooks : hooksByType().values()) {
            for (MethodHook hook : hooks) {
                if (hook.isRequired()) {
                    required.add(hook.typeName());
                }
            }
        }
        assertThat(required).containsExactly("java.net.Socket", "sun.nio.ch.NioSocketImpl", "sun.nio.ch.SocketChannelImpl",
                "sun.nio.ch.SocketChannelImpl");
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

    private static Map<String, List<MethodHook>> hooksByType() {
        Map<String, List<MethodHook>> byType = new LinkedHashMap<>();
        for (ClientInstrumentation client : Installer.instrumentations()) {
            for (MethodHook hook : client.hooks()) {
                byType.computeIfAbsent(hook.typeName(), k -> new ArrayList<>()).add(hook);
            }
        }
        return byType;
    }

    private static byte[] classFile(String type) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(type.replace('.', '/') + ".class")) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /**
     * Defines the woven class, and the rest of its package from the original class files (package-private
     * supertypes must share its loader); everything else comes from the test's loader, and so from the JDK.
     * The surefire configuration exports the JDK packages involved to the unnamed module.
     */
    private static final class VerifyingLoader extends ClassLoader {
        private final String name;
        private final String packagePrefix;
        private final byte[] classFile;

        VerifyingLoader(String name, byte[] classFile) {
            super(InstrumentationHooksTest.class.getClassLoader());
            this.name = name;
            this.packagePrefix = name.substring(0, name.lastIndexOf('.') + 1);
            this.classFile = classFile;
        }

        @Override
        protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(className)) {
                Class<?> loaded = findLoadedClass(className);
                if (loaded != null) {
                    return loaded;
                }
                if (className.equals(name)) {
                    return defineClass(className, classFile, 0, classFile.length);
                }
                if (className.startsWith(packagePrefix) && className.indexOf('.', packagePrefix.length()) < 0) {
                    try {
                        byte[] original = classFile(className);
                        if (original != null) {
                            return defineClass(className, original, 0, original.length);
                        }
                    } catch (IOException e) {
                        throw new ClassNotFoundException(className, e);
                    }
                }
                return super.loadClass(className, resolve);
            }
        }
    }
}
