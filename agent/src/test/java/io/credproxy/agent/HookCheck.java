package io.credproxy.agent;

import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.HookWeaver;
import io.credproxy.agent.weave.MethodHook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weaves every hook of every instrumentation into the real class it targets, as the JVM running this
 * code has it (the JDK's classes, and the client libraries on the class path), and says what is wrong:
 * a hook that finds no method, a class ASM cannot weave, or a woven class the verifier refuses.
 *
 * <p>Run in the test JVM by {@link InstrumentationHooksTest} and, as a {@code main}, in a child JVM of
 * every other JDK on the machine: prints one line per problem and exits 1, or prints {@code OK} and the
 * number of types checked.
 */
public final class HookCheck {
    private HookCheck() {}

    public static void main(String[] args) {
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, List<MethodHook>> hooks = hooksByType();
        for (String type : hooks.keySet()) {
            String problem = problem(type, hooks.get(type));
            if (problem != null) {
                problems.put(type, problem);
            }
        }
        for (Map.Entry<String, String> problem : problems.entrySet()) {
            System.out.println("PROBLEM " + problem.getKey() + ": " + problem.getValue());
        }
        System.out.println(problems.isEmpty() ? "OK " + hooks.size() + " types on " + Runtime.version() : "FAILED");
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /** Every hook, by the binary name of the type it goes into. */
    static Map<String, List<MethodHook>> hooksByType() {
        Map<String, List<MethodHook>> byType = new LinkedHashMap<>();
        for (ClientInstrumentation client : Installer.instrumentations()) {
            for (MethodHook hook : client.hooks()) {
                byType.computeIfAbsent(hook.typeName(), k -> new ArrayList<>()).add(hook);
            }
        }
        return byType;
    }

    /** What is wrong with weaving {@code hooks} into {@code type} here, or {@code null}. */
    static String problem(String type, List<MethodHook> hooks) {
        try {
            byte[] original = VerifyingLoader.originalClassFile(type);
            if (original == null) {
                boolean optional = hooks.stream().allMatch(MethodHook::isOptional);
                return optional ? null : "no such class";
            }
            HookWeaver.Result result = HookWeaver.weave(original, hooks);
            List<MethodHook> missing = new ArrayList<>(hooks);
            missing.removeAll(result.applied);
            if (!missing.isEmpty()) {
                return "found no method for " + missing;
            }
            if (!type.startsWith("java.")) { // java.* cannot be defined outside the JDK; the ITs verify those
                VerifyingLoader.defineAndVerify(type, result.classFile);
            }
            return null;
        } catch (Throwable e) {
            return String.valueOf(e);
        }
    }
}
