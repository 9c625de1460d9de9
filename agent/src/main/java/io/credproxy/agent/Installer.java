package io.credproxy.agent;

import io.credproxy.agent.bootstrap.AgentContext;
import io.credproxy.agent.bootstrap.AgentEvents;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.instrumentation.ahc.AsyncHttpClientInstrumentation;
import io.credproxy.agent.instrumentation.apache4.Apache4Instrumentation;
import io.credproxy.agent.instrumentation.apache5.ApacheAsyncInstrumentation;
import io.credproxy.agent.instrumentation.apache5.ApacheClassicInstrumentation;
import io.credproxy.agent.instrumentation.grpc.GrpcNettyInstrumentation;
import io.credproxy.agent.instrumentation.jdkhttp.JdkHttpClientInstrumentation;
import io.credproxy.agent.instrumentation.jetty.JettyInstrumentation;
import io.credproxy.agent.instrumentation.okhttp.OkHttpInstrumentation;
import io.credproxy.agent.instrumentation.proxyselector.ProxySelectorInstrumentation;
import io.credproxy.agent.instrumentation.nativelib.NativeLibraryInstrumentation;
import io.credproxy.agent.instrumentation.netty.NettyEpollInstrumentation;
import io.credproxy.agent.instrumentation.netty.NettyIoUringInstrumentation;
import io.credproxy.agent.instrumentation.netty.NettyKqueueInstrumentation;
import io.credproxy.agent.instrumentation.netty.NettyNativeInstrumentation;
import io.credproxy.agent.instrumentation.reactor.ReactorNettyInstrumentation;
import io.credproxy.agent.instrumentation.socket.AsyncSocketChannelInstrumentation;
import io.credproxy.agent.instrumentation.socket.SocketChannelInstrumentation;
import io.credproxy.agent.instrumentation.socket.SocketInstrumentation;
import io.credproxy.agent.instrumentation.tls.TrustInstrumentation;
import io.credproxy.agent.instrumentation.urlconnection.UrlConnectionInstrumentation;
import io.credproxy.agent.instrumentation.vertx.VertxInstrumentation;
import io.credproxy.agent.weave.HookTransformer;
import io.credproxy.agent.weave.MethodHook;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Weaves every instrumentation into the JVM: the one list of what the agent changes.
 *
 * <p>One {@link HookTransformer} weaves each target type as it is loaded; the targets already loaded
 * (a few at {@code premain}, many at a runtime attach) are retransformed. The hooks insert calls
 * only, no new fields or methods, which retransformation forbids. The raw-socket fence is
 * {@linkplain MethodHook#required() required}: at {@code premain} each fence class is woven when it
 * loads (a JVM that never opens a socket never pays for it), and one that cannot be woven stops the
 * JVM there, before the class exists; one loaded already is retransformed, and checked, right away.
 * At an attach the fence classes are loaded and woven at once. Everything else is woven when (if
 * ever) the application loads it.
 *
 * <p>No start-up race: a class another thread loads while the transformer is being added can be
 * defined without passing through it and yet be missing from the list of loaded classes read just
 * after. So the loaded classes are read a second time, every target the transformer has not seen is
 * retransformed, and only then is the fence checked.
 */
public final class Installer {
    private Installer() {}

    /** Every instrumentation, in the order they are woven. */
    public static List<ClientInstrumentation> instrumentations() {
        return List.of(
                new SocketInstrumentation(),
                new SocketChannelInstrumentation(),
                new AsyncSocketChannelInstrumentation(),
                new NettyNativeInstrumentation(),
                new NettyEpollInstrumentation(),
                new NettyKqueueInstrumentation(),
                new NettyIoUringInstrumentation(),
                new NativeLibraryInstrumentation(),
                new TrustInstrumentation(),
                new ProxySelectorInstrumentation(),
                new UrlConnectionInstrumentation(),
                new JdkHttpClientInstrumentation(),
                new OkHttpInstrumentation(),
                new ApacheClassicInstrumentation(),
                new ApacheAsyncInstrumentation(),
                Apache4Instrumentation.current(),
                Apache4Instrumentation.legacy(),
                new JettyInstrumentation(),
                GrpcNettyInstrumentation.unshaded(),
                GrpcNettyInstrumentation.shaded(),
                new ReactorNettyInstrumentation(),
                new VertxInstrumentation(),
                new AsyncHttpClientInstrumentation());
    }

    /**
     * Weaves everything into {@code instrumentation}'s JVM.
     *
     * @param atLaunch at {@code premain}: a fence class not loaded yet is woven when it loads, and if it
     *     cannot be, the JVM stops there with status 2 (before that class exists, so before any socket);
     *     at an attach the fence classes are loaded and woven now, and the attach fails if one cannot be
     * @throws IllegalStateException when a required hook could not be woven
     * @throws ClassNotFoundException when a fence class does not exist in this JVM (at an attach)
     */
    static HookTransformer install(Instrumentation instrumentation, AgentEvents events, boolean atLaunch, StartupTimer timer)
            throws ClassNotFoundException {
        openJdkModules(instrumentation);
        timer.mark("modules");
        Map<String, List<MethodHook>> hooksByClient = new LinkedHashMap<>();
        for (ClientInstrumentation client : instrumentations()) {
            hooksByClient.put(client.client(), client.hooks());
        }
        HookTransformer transformer = new HookTransformer(hooksByClient, events);
        if (atLaunch) {
            transformer.whenRequiredHookFails(new HookTransformer.RequiredHookFailed() {
                @Override
                public void failed(String type, String why) {
                    CredproxyAgent.refuse("credproxy: cannot weave the socket fence into " + type + " (" + why
                            + "), refusing to run unprotected");
                }
            });
        }
        instrumentation.addTransformer(transformer, true);
        timer.mark("transformer");

        retransformLoadedTargets(instrumentation, transformer);
        if (!atLaunch) {
            // The clients run already: load the fence now, so that one that cannot be woven fails the attach.
            for (String type : transformer.requiredTypes()) {
                Class.forName(type, false, null);
            }
        }
        // Whatever loaded while the transformer went in, and so may have slipped past it.
        retransformLoadedTargets(instrumentation, transformer);
        List<String> missing = atLaunch ? transformer.failedRequired() : transformer.missingRequired();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("could not instrument " + String.join(", ", missing));
        }
        timer.mark("retransform");
        return transformer;
    }

    /**
     * Weaves the loaded targets the transformer has not seen: at {@code premain} the few the JVM (or
     * the agent's own helpers) loaded early, at an attach the clients already in use, and any that
     * loaded while the transformer was being added. One retransformation for all of them, since each
     * one is a pause of the whole JVM that revisits every loaded class; if it fails (then none was
     * changed) each is retried alone, so that one bad class only costs its own client.
     */
    private static void retransformLoadedTargets(Instrumentation instrumentation, HookTransformer transformer) {
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
            if (transformer.isUnseenTarget(loaded.getName())) {
                if (instrumentation.isModifiableClass(loaded)) {
                    targets.add(loaded);
                } else {
                    transformer.rejected(loaded, new UnsupportedOperationException("the JVM cannot retransform it"));
                }
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        try {
            instrumentation.retransformClasses(targets.toArray(new Class<?>[0]));
            return;
        } catch (Throwable e) {
            // retried one by one below
        }
        for (Class<?> target : targets) {
            try {
                instrumentation.retransformClasses(target);
            } catch (Throwable e) {
                transformer.rejected(target, e);
            }
        }
    }

    /**
     * Woven code in {@code java.base} and {@code java.net.http} calls the bootstrap helpers, which live
     * in the bootstrap loader's unnamed module: named modules must be told to read it. The socket
     * helper also reads a socket's raw streams by reflection ({@code java.net} opened), and the
     * {@code HttpURLConnection} hook takes two of {@code java.base}'s internal types (exported).
     */
    private static void openJdkModules(Instrumentation instrumentation) {
        Module helpers = AgentContext.class.getModule();
        Set<Module> toHelpers = Set.of(helpers);
        instrumentation.redefineModule(Object.class.getModule(), toHelpers,
                Map.of("sun.net.www", toHelpers, "sun.net.www.http", toHelpers), Map.of("java.net", toHelpers),
                Set.of(), Map.of());
        Optional<Module> httpClient = ModuleLayer.boot().findModule("java.net.http");
        if (httpClient.isPresent()) {
            instrumentation.redefineModule(httpClient.get(), toHelpers, Map.of(), Map.of(), Set.of(), Map.of());
        }
    }
}
