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
 * {@link RequiredHookFailed} handler is told, before the class is defined, and at {@code premain} it
 * stops the JVM (at an attach the installer checks the fence itself).
 */
public final class HookTransformer implements ClassFileTransformer {
    private final Map<String, List<MethodHook>> hooksByType = new HashMap<>();
    private final Map<String, List<MethodHook>> hooksByBinaryName = new HashMap<>();
    private final Set<String> requiredTypes = new LinkedHashSet<>();
    /** Hooks into a type wherever it was relocated ({@link MethodHook#inAnyPackage}), by the type they name. */
    private final List<List<MethodHook>> anyPackageHooks = new ArrayList<>();
    /** The relocated copies woven so far (internal names): each must be woven, not just the first. */
    private final Set<String> anyPackageSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final HookLedger ledger;
    private volatile RequiredHookFailed onRequiredFailure;

    /** Told when a class with required hooks is loaded and one of them could not be woven into it. */
    public interface RequiredHookFailed {
        /** {@code type} (a binary name) is being defined without its required hooks, for {@code why}. */
        void failed(String type, String why);
    }

    /**
     * @param hooksByClient every hook, by the client name that reports them ({@code okhttp}, ...)
     * @param events where "client instrumented" and "hook failed" go
     */
    public HookTransformer(Map<String, List<MethodHook>> hooksByClient, AgentEvents events) {
        this.ledger = new HookLedger(hooksByClient, events);
        for (List<MethodHook> hooks : hooksByClient.values()) {
            for (MethodHook hook : hooks) {
                if (hook.isAnyPackage()) {
                    addAnyPackage(hook);
                    continue;
                }
                // No lambdas on the premain path: the first one costs the JVM tens of milliseconds to link.
                List<MethodHook> forType = hooksByType.get(hook.internalTypeName());
                if (forType == null) {
                    forType = new ArrayList<>();
                    hooksByType.put(hook.internalTypeName(), forType);
                }
                forType.add(hook);
                hooksByBinaryName.put(hook.typeName(), forType);
                if (hook.isRequired()) {
                    requiredTypes.add(hook.typeName());
                }
            }
        }
    }

    private void addAnyPackage(MethodHook hook) {
        for (List<MethodHook> forType : anyPackageHooks) {
            if (forType.get(0).internalTypeName().equals(hook.internalTypeName())) {
                forType.add(hook);
                return;
            }
        }
        List<MethodHook> forType = new ArrayList<>();
        forType.add(hook);
        anyPackageHooks.add(forType);
    }

    /** The hooks of {@code internalName}: one hash look-up, then a suffix test per relocatable type (a handful). */
    private List<MethodHook> hooksOf(String internalName) {
        List<MethodHook> hooks = hooksByType.get(internalName);
        if (hooks != null) {
            return hooks;
        }
        for (int i = 0; i < anyPackageHooks.size(); i++) {
            List<MethodHook> forType = anyPackageHooks.get(i);
            if (forType.get(0).targets(internalName)) {
                return forType;
            }
        }
        return null;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classFile) {
        if (className == null) {
            return null;
        }
        List<MethodHook> hooks = hooksOf(className);
        if (hooks == null) {
            return null;
        }
        if (hooks.get(0).isAnyPackage()) {
            anyPackageSeen.add(className);
        }
        byte[] woven;
        try {
            HookWeaver.Result result = HookWeaver.weave(classFile, hooks);
            ledger.woven(className, hooks, result.applied);
            woven = result.applied.isEmpty() ? null : result.classFile;
        } catch (Throwable e) {
            ledger.failed(className, hooks, String.valueOf(e));
            woven = null;
        }
        RequiredHookFailed handler = onRequiredFailure;
        if (handler != null && anyRequired(hooks)) {
            List<String> failed = ledger.failedRequired(hooks);
            if (!failed.isEmpty()) {
                handler.failed(className.replace('/', '.'), String.join(", ", failed));
            }
        }
        return woven;
    }

    /** {@code hooks} is one type's list (exact or any-package), so this is "the class has required hooks". */
    private static boolean anyRequired(List<MethodHook> hooks) {
        for (MethodHook hook : hooks) {
            if (hook.isRequired()) {
                return true;
            }
        }
        return false;
    }

    /** Sets who is told when a class with required hooks loads and cannot get them. */
    public void whenRequiredHookFails(RequiredHookFailed handler) {
        this.onRequiredFailure = handler;
    }

    /**
     * Forgets what was woven into {@code type}: the JVM refused the woven class (a retransformation
     * failed), so the class runs as it was.
     */
    public void rejected(Class<?> type, Throwable why) {
        String internal = type.getName().replace('.', '/');
        List<MethodHook> hooks = hooksOf(internal);
        if (hooks != null) {
            ledger.failed(internal, hooks, "retransformation failed: " + why);
        }
    }

    /**
     * Whether {@code binaryName} is a type with hooks that this transformer has not seen: loaded while
     * the transformer was being added, or before, and not retransformed yet.
     */
    public boolean isUnseenTarget(String binaryName) {
        List<MethodHook> hooks = hooksByBinaryName.get(binaryName);
        if (hooks != null) {
            return !ledger.isSettled(hooks);
        }
        String internal = binaryName.replace('.', '/');
        return hooksOf(internal) != null && !anyPackageSeen.contains(internal);
    }

    /** The binary names of the types holding required hooks, in order. */
    public List<String> requiredTypes() {
        return new ArrayList<>(requiredTypes);
    }

    /** The required hooks not woven, each with the reason when one is known; empty when the whole fence stands. */
    public List<String> missingRequired() {
        return ledger.missingRequired();
    }

    /** The required hooks whose class was loaded and could not get them; empty when the fence loaded so far stands. */
    public List<String> failedRequired() {
        return ledger.failedRequired(null);
    }
}
