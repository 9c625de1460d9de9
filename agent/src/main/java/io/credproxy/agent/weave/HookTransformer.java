package io.credproxy.agent.weave;

import io.credproxy.agent.bootstrap.AgentEvents;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's one class-file transformer: weaves the hooks of a type when that type is loaded or
 * retransformed, and leaves every other class alone after one hash look-up of its name.
 *
 * <p>The JVM calls it for every class it loads, on the loading thread, so the common path (not a
 * target) allocates nothing. For a target it weaves with {@link HookWeaver}, records which hooks
 * found their method, reports the client as instrumented the first time, and on any failure prints
 * one line and leaves the class unchanged: for an optional client that is all; for the raw-socket
 * fence the installer sees the hook missing and refuses to start.
 */
public final class HookTransformer implements ClassFileTransformer {
    private final Map<String, List<MethodHook>> hooksByType = new HashMap<>();
    private final Map<String, String> clientByType = new HashMap<>();
    private final List<MethodHook> required = new ArrayList<>();
    private final Set<MethodHook> applied = ConcurrentHashMap.newKeySet();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final Set<String> reportedClients = ConcurrentHashMap.newKeySet();
    private final AgentEvents events;

    /**
     * @param hooksByClient every hook, by the client name that reports them ({@code okhttp}, ...)
     * @param events where "client instrumented" goes
     */
    public HookTransformer(Map<String, List<MethodHook>> hooksByClient, AgentEvents events) {
        this.events = events;
        for (Map.Entry<String, List<MethodHook>> client : hooksByClient.entrySet()) {
            for (MethodHook hook : client.getValue()) {
                // No lambdas on the premain path: the first one costs the JVM tens of milliseconds to link.
                List<MethodHook> forType = hooksByType.get(hook.internalTypeName());
                if (forType == null) {
                    forType = new ArrayList<>();
                    hooksByType.put(hook.internalTypeName(), forType);
                }
                forType.add(hook);
                clientByType.putIfAbsent(hook.internalTypeName(), client.getKey());
                if (hook.isRequired()) {
                    required.add(hook);
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
        String client = clientByType.get(className);
        try {
            HookWeaver.Result result = HookWeaver.weave(classFile, hooks);
            List<MethodHook> missing = new ArrayList<>();
            for (MethodHook hook : hooks) {
                if (!result.applied.contains(hook)) {
                    missing.add(hook);
                }
            }
            if (!missing.isEmpty()) {
                fail(className, client, "no such method for " + missing);
            }
            if (result.applied.isEmpty()) {
                return null;
            }
            applied.addAll(result.applied);
            if (reportedClients.add(client)) {
                events.instrumented(client);
            }
            return result.classFile;
        } catch (Throwable e) {
            fail(className, client, String.valueOf(e));
            return null;
        }
    }

    private void fail(String className, String client, String why) {
        String type = className.replace('/', '.');
        failures.put(type, why);
        System.err.println("credproxy: cannot instrument " + type + " (" + client + "): " + why);
    }

    /**
     * Forgets what was woven into {@code type}: the JVM refused the woven class (a retransformation
     * failed), so the class runs as it was.
     */
    public void rejected(Class<?> type, Throwable why) {
        String internal = type.getName().replace('.', '/');
        List<MethodHook> hooks = hooksByType.get(internal);
        if (hooks != null) {
            applied.removeAll(hooks);
            fail(internal, clientByType.get(internal), "retransformation failed: " + why);
        }
    }

    /** Whether {@code binaryName} is a type with hooks. */
    public boolean isTarget(String binaryName) {
        return hooksByType.containsKey(binaryName.replace('.', '/'));
    }

    /** The binary names of the types holding required hooks, in order. */
    public List<String> requiredTypes() {
        Map<String, Boolean> types = new LinkedHashMap<>();
        for (MethodHook hook : required) {
            types.put(hook.typeName(), Boolean.TRUE);
        }
        return new ArrayList<>(types.keySet());
    }

    /** The required hooks not woven, each with the reason when one is known; empty when the fence stands. */
    public List<String> missingRequired() {
        List<String> missing = new ArrayList<>();
        for (MethodHook hook : required) {
            if (!applied.contains(hook)) {
                String why = failures.get(hook.typeName());
                missing.add(hook + (why != null ? " (" + why + ")" : ""));
            }
        }
        return Collections.unmodifiableList(missing);
    }

    /** Whether {@code hook} is woven into its (loaded) type. */
    public boolean isApplied(MethodHook hook) {
        return applied.contains(hook);
    }
}
