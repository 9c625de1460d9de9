package io.credproxy.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.credproxy.agent.bootstrap.AgentContext;
import io.credproxy.agent.bootstrap.AgentEvents;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.instrumentation.TypeAdvice;
import io.credproxy.agent.instrumentation.apache5.ApacheHttpClient5Instrumentation;
import io.credproxy.agent.instrumentation.jdkhttp.JdkHttpClientInstrumentation;
import io.credproxy.agent.instrumentation.okhttp.OkHttpInstrumentation;
import io.credproxy.agent.instrumentation.proxyselector.ProxySelectorInstrumentation;
import io.credproxy.agent.instrumentation.socket.SocketChannelInstrumentation;
import io.credproxy.agent.instrumentation.socket.SocketInstrumentation;
import io.credproxy.agent.instrumentation.tls.TrustInstrumentation;
import io.credproxy.agent.instrumentation.urlconnection.UrlConnectionInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves every instrumentation into the JVM: the one list of what the agent changes.
 *
 * <p>Classes already loaded (always some at {@code premain}, many at a runtime attach) are
 * retransformed; advice only, no new fields or methods, which retransformation forbids. The
 * raw-socket fence is {@linkplain TypeAdvice#required() required}: its classes are loaded right away
 * and, if one could not be woven, installation fails and the agent stops the JVM rather than let it
 * run unprotected.
 */
public final class Installer {
    private Installer() {}

    /** Every instrumentation, in the order they are woven. */
    public static List<ClientInstrumentation> instrumentations() {
        return List.of(
                new SocketInstrumentation(),
                new SocketChannelInstrumentation(),
                new TrustInstrumentation(),
                new ProxySelectorInstrumentation(),
                new UrlConnectionInstrumentation(),
                new JdkHttpClientInstrumentation(),
                new OkHttpInstrumentation(),
                new ApacheHttpClient5Instrumentation());
    }

    /**
     * Weaves everything into {@code instrumentation}'s JVM.
     *
     * @throws IllegalStateException when a required type could not be woven
     */
    static void install(Instrumentation instrumentation, AgentEvents events) throws ClassNotFoundException {
        openJdkModules(instrumentation);

        Map<String, String> clientByType = new LinkedHashMap<>();
        Map<String, List<TypeAdvice>> adviceByType = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (ClientInstrumentation client : instrumentations()) {
            for (TypeAdvice advice : client.advice()) {
                clientByType.putIfAbsent(advice.typeName(), client.client());
                adviceByType.computeIfAbsent(advice.typeName(), k -> new ArrayList<>()).add(advice);
                if (advice.required() && !required.contains(advice.typeName())) {
                    required.add(advice.typeName());
                }
            }
        }

        WeaveListener listener = new WeaveListener(clientByType, events);
        AgentBuilder builder = newAgentBuilder()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.SinglePass.INSTANCE)
                .with(listener)
                // The default ignores the bootstrap loader; the JDK's classes are the point here.
                .ignore(nameStartsWith("io.credproxy.agent.").or(nameStartsWith("net.bytebuddy.")));
        ClassLoader agentLoader = Installer.class.getClassLoader();
        for (Map.Entry<String, List<TypeAdvice>> entry : adviceByType.entrySet()) {
            AgentBuilder.Transformer.ForAdvice transformer = new AgentBuilder.Transformer.ForAdvice().include(agentLoader);
            for (TypeAdvice advice : entry.getValue()) {
                transformer = transformer.advice(advice.methods(), advice.adviceClass().getName());
            }
            builder = builder.type(named(entry.getKey())).transform(transformer);
        }
        builder.installOn(instrumentation);

        // Load the fence now, so that a type that cannot be woven stops the start, not a later connect.
        for (String type : required) {
            Class.forName(type, false, null);
            if (!listener.woven.contains(type)) {
                throw new IllegalStateException("could not instrument " + type
                        + (listener.errors.containsKey(type) ? ": " + listener.errors.get(type) : ""));
            }
        }
    }

    /**
     * Byte Buddy's builder without its "nexus" (a class injected into the system class loader for
     * initialisers, which advice does not use): creating it makes Byte Buddy reach for
     * {@code sun.misc.Unsafe}, and Java 24+ prints a warning about that on every start. The property
     * is Byte Buddy's own switch; its name is relocated with Byte Buddy by the shade plugin, and set
     * only while the builder is created.
     */
    private static AgentBuilder newAgentBuilder() {
        String property = "net.bytebuddy.nexus.disabled";
        String previous = System.setProperty(property, "true");
        try {
            return new AgentBuilder.Default();
        } finally {
            if (previous == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, previous);
            }
        }
    }

    /**
     * Advice inlined into {@code java.base} and {@code java.net.http} calls the bootstrap helpers, which
     * live in the bootstrap loader's unnamed module: named modules must be told to read it. The socket
     * helper also reads a socket's raw streams by reflection, which needs {@code java.net} opened.
     */
    private static void openJdkModules(Instrumentation instrumentation) {
        Module helpers = AgentContext.class.getModule();
        Module javaBase = Object.class.getModule();
        instrumentation.redefineModule(javaBase, Set.of(helpers), Map.of(), Map.of("java.net", Set.of(helpers)),
                Set.of(), Map.of());
        ModuleLayer.boot().findModule("java.net.http").ifPresent(module -> instrumentation.redefineModule(
                module, Set.of(helpers), Map.of(), Map.of(), Set.of(), Map.of()));
    }

    /** Records what was woven (and reports each client once); prints one line per failure. */
    private static final class WeaveListener extends AgentBuilder.Listener.Adapter {
        final Set<String> woven = ConcurrentHashMap.newKeySet();
        final Map<String, String> errors = new ConcurrentHashMap<>();
        private final Set<String> reported = ConcurrentHashMap.newKeySet();
        private final Map<String, String> clientByType;
        private final AgentEvents events;

        WeaveListener(Map<String, String> clientByType, AgentEvents events) {
            this.clientByType = clientByType;
            this.events = events;
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                DynamicType dynamicType) {
            woven.add(type.getName());
            String client = clientByType.get(type.getName());
            if (client != null && reported.add(client)) {
                events.instrumented(client);
            }
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            errors.put(typeName, String.valueOf(error));
            System.err.println("credproxy: cannot instrument " + typeName + " (" + clientByType.get(typeName) + "): " + error);
        }
    }
}
