package io.credproxy.agent.instrumentation.nativelib;

import io.credproxy.agent.bootstrap.NativeLibraryGuard;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * AWS CRT's JNI library, which opens its own connections, is refused ({@link NativeLibraryGuard}):
 * at the static initialiser of its loader, {@code software.amazon.awssdk.crt.CRT}, in any package
 * (SDK bundles shade it), before it calls {@code System.load} or {@code loadLibrary}.
 *
 * <p>Not at {@code Runtime.load0}/{@code loadLibrary0}, where every load ends: {@code Runtime} is
 * loaded before any agent, so that hook would load ASM and retransform at every JVM start (measured:
 * the agent's {@code retransform} span went from 10-36 ms to 320-630 ms on a loaded machine), against
 * the agent's rule that nothing is woven at start. The class is woven when it loads, like any client.
 */
public final class NativeLibraryInstrumentation implements ClientInstrumentation {
    @Override
    public String client() {
        return "aws-crt";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(MethodHook.inAnyPackage("software.amazon.awssdk.crt.CRT", MethodMatcher.named("<clinit>").returns("V"))
                .atEntry(Call.to(NativeLibraryGuard.class, "refuseAwsCrt", "()V")));
    }
}
