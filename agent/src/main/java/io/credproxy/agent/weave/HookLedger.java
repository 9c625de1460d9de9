package io.credproxy.agent.weave;

import io.credproxy.agent.bootstrap.AgentEvents;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which hooks are woven and which failed, and what the agent reports about each client.
 *
 * <p>A client counts as instrumented only when every hook it needs is woven (its optional hooks
 * aside): its types load at different times (the JDK HttpClient's {@code Http1Request} only with its
 * first HTTP/1.1 exchange), so {@code instrumented} is reported when the last one is woven. A hook
 * that found no method, or whose class could not be woven, is an error: one line on stderr and one
 * {@code instrumentation_failed} event per hook, and its client is never reported instrumented. The
 * client's requests are then still caught by the socket fence (tunneled or blocked), but the
 * operator must know that its own forcing is missing. Thread-safe: classes load on any thread.
 */
final class HookLedger {
    private final Map<MethodHook, String> clientOf = new HashMap<>();
    private final Map<String, List<MethodHook>> hooksOf = new LinkedHashMap<>();
    private final Set<MethodHook> applied = ConcurrentHashMap.newKeySet();
    private final Map<MethodHook, String> failures = new ConcurrentHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final AgentEvents events;

    HookLedger(Map<String, List<MethodHook>> hooksByClient, AgentEvents events) {
        this.events = events;
        for (Map.Entry<String, List<MethodHook>> client : hooksByClient.entrySet()) {
            hooksOf.put(client.getKey(), client.getValue());
            for (MethodHook hook : client.getValue()) {
                clientOf.put(hook, client.getKey());
            }
        }
    }

    /** {@code type} was woven: {@code woven} of its {@code hooks} found a method, the others none. */
    void woven(String type, List<MethodHook> hooks, Set<MethodHook> woven) {
        List<MethodHook> missing = new ArrayList<>();
        for (MethodHook hook : hooks) {
            if (woven.contains(hook)) {
                applied.add(hook);
            } else {
                missing.add(hook);
            }
        }
        if (!missing.isEmpty()) {
            failed(type, missing, "found no method for " + missing);
        }
        for (MethodHook hook : woven) {
            reportIfComplete(clientOf.get(hook));
        }
    }

    /** {@code hooks}, all of {@code type}'s, could not be woven (or the JVM refused the woven class). */
    void failed(String type, Collection<MethodHook> hooks, String why) {
        if (hooks.isEmpty()) {
            return;
        }
        String client = clientOf.get(hooks.iterator().next());
        System.err.println("credproxy: cannot instrument " + type.replace('/', '.') + " (" + client + "): " + why);
        for (MethodHook hook : hooks) {
            applied.remove(hook);
            if (failures.put(hook, why) == null) {
                events.instrumentationFailed(clientOf.get(hook), hook.toString());
            }
        }
    }

    private void reportIfComplete(String client) {
        if (client == null || reported.contains(client)) {
            return;
        }
        for (MethodHook hook : hooksOf.get(client)) {
            if (failures.containsKey(hook) || !hook.isOptional() && !applied.contains(hook)) {
                return;
            }
        }
        if (reported.add(client)) {
            events.instrumented(client);
        }
    }

    /** Whether each of {@code hooks} is either woven or known to have failed: nothing left to try. */
    boolean isSettled(List<MethodHook> hooks) {
        for (MethodHook hook : hooks) {
            if (!applied.contains(hook) && !failures.containsKey(hook)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The required hooks, of {@code among} or of all when {@code null}, that failed, each with its
     * reason; empty when none did.
     */
    List<String> failedRequired(List<MethodHook> among) {
        List<String> failed = new ArrayList<>();
        for (MethodHook hook : among != null ? among : clientOf.keySet()) {
            String why = failures.get(hook);
            if (hook.isRequired() && why != null) {
                failed.add(hook + " (" + why + ")");
            }
        }
        Collections.sort(failed);
        return failed;
    }

    /** The required hooks not woven, each with the reason when one is known; empty when the fence stands. */
    List<String> missingRequired() {
        List<String> missing = new ArrayList<>();
        for (MethodHook hook : clientOf.keySet()) {
            // A hook into a library's type (any package) is required only once the library loads.
            if (hook.isRequired() && !hook.isAnyPackage() && !applied.contains(hook)) {
                String why = failures.get(hook);
                missing.add(hook + (why != null ? " (" + why + ")" : ""));
            }
        }
        Collections.sort(missing);
        return missing;
    }
}
