package io.credproxy.agent.weave;

import io.credproxy.agent.bootstrap.AgentEvents;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's one class-file transformer: weaves the hooks of a type when that type is loaded or
 * retransformed, and leaves every other class alone after one hash look-up of its name.
 *
 * <p>The JVM calls it for every class it loads, on the loading thread, so the common path (not a
 * target) allocates nothing. For a target it weaves with {@link HookWeaver} and tells the
 * {@link HookLedger} which hooks found their method; on any failure the class is left unchanged and
 * the ledger reports the error. For an optional client that is all; for the raw-socket fence the
 * installer sees the hook missing and refuses to start.
 */
public final class HookTransformer implements ClassFileTransformer {
    private final Map<String, List<MethodHook>> hooksByType = new HashMap<>();
    private final Set<String> requiredTypes = new LinkedHashSet<>();
    private final HookLedger ledger;

    /**
     * @param hooksByClient every hook, by the client name that reports them ({@code okhttp}, ...)
     * @param events where "client instrumented" and "hook failed" go
     */
    public HookTransformer(Map<String, List<MethodHook>> hooksByClient, AgentEvents events) {
        this.ledger = new HookLedger(hooksByClient, events);
        for (List<MethodHook> hooks : hooksByClient.values()) {
            for (MethodHook hook : hooks) {
                // No lambdas on the premain path: the first one costs the JVM tens of milliseconds to link.
                List<MethodHook> forType = hooksByType.get(hook.internalTypeName());
                if (forType == null) {
                    forType = new ArrayList<>();
                    hooksByType.put(hook.internalTypeName(), forType);
                }
                forType.add(hook);
                if (hook.isRequired()) {
                    requiredTypes.add(hook.typeName());
                }
            }
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classFile) {
        if (className == null) {
            return null;
        }
        List<MethodHook> hooks = hooksByType.get(className);
        if (hooks == null) {
            return null;
        }
        try {
            HookWeaver.Result result = HookWeaver.weave(classFile, hooks);
            ledger.woven(className, hooks, result.applied);
            return result.applied.isEmpty() ? null : result.classFile;
        } catch (Throwable e) {
            ledger.failed(className, hooks, String.valueOf(e));
            return null;
        }
    }

    /**
     * Forgets what was woven into {@code type}: the JVM refused the woven class (a retransformation
     * failed), so the class runs as it was.
     */
    public void rejected(Class<?> type, Throwable why) {
        String internal = type.getName().replace('.', '/');
        List<MethodHook> hooks = hooksByType.get(internal);
        if (hooks != null) {
            ledger.failed(internal, hooks, "retransformation failed: " + why);
        }
    }

    /**
     * Whether {@code binaryName} is a type with hooks that this transformer has not seen: loaded while
     * the transformer was being added, or before, and not retransformed yet.
     */
    public boolean isUnseenTarget(String binaryName) {
        List<MethodHook> hooks = hooksByType.get(binaryName.replace('.', '/'));
        return hooks != null && !ledger.isSettled(hooks);
    }

    /** The binary names of the types holding required hooks, in order. */
    public List<String> requiredTypes() {
        return new ArrayList<>(requiredTypes);
    }

    /** The required hooks not woven, each with the reason when one is known; empty when the fence stands. */
    public List<String> missingRequired() {
        return ledger.missingRequired();
    }
}
