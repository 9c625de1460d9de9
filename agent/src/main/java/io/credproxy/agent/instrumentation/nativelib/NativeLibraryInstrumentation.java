package io.credproxy.agent.instrumentation.nativelib;

import static io.credproxy.agent.weave.Load.argument;

import io.credproxy.agent.bootstrap.NativeLibraryGuard;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * JNI libraries known to open their own connections are refused ({@link NativeLibraryGuard}).
 *
 * <p>{@code System.load}, {@code System.loadLibrary} and {@code Runtime.load}/{@code loadLibrary} all
 * end in {@code Runtime.load0(Class, String)} and {@code loadLibrary0(Class, String)} (Java 17 to 25),
 * each matched by name and the {@code String} it takes. {@code Runtime} is loaded before any agent,
 * so this is the one instrumentation woven at start, by retransformation.
 */
public final class NativeLibraryInstrumentation implements ClientInstrumentation {
    private static final String STRING = "Ljava/lang/String;";
    private static final Call CHECK = Call.to(NativeLibraryGuard.class, "check", "(Ljava/lang/String;)V", argument(STRING));

    @Override
    public String client() {
        return "native-libraries";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(
                MethodHook.in("java.lang.Runtime", MethodMatcher.named("load0").takes(STRING)).atEntry(CHECK),
                MethodHook.in("java.lang.Runtime", MethodMatcher.named("loadLibrary0").takes(STRING)).atEntry(CHECK));
    }
}
