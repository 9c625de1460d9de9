package io.credproxy.agent.bootstrap;

import java.net.ProxySelector;
import java.util.function.Supplier;

/**
 * What the hooks call to force a {@link ProxySelector}: {@link ForcedProxySelector#wrap}, with that
 * class defined in the bootstrap loader only when first needed.
 *
 * <p>{@code ForcedProxySelector} extends {@code ProxySelector}, so defining it loads
 * {@code ProxySelector}, which the agent must then weave (retransform) at once, starting ASM: the most
 * expensive thing a start can do. Deferred, a JVM that never asks for a proxy selector never loads
 * either, and {@code ProxySelector} is woven as it loads, like any client class. This class does not
 * extend it and can be defined with the other helpers; the agent gives it the definer at start.
 */
public final class SelectorForcing {
    private static volatile Supplier<?> definer;
    private static volatile boolean defined;

    private SelectorForcing() {}

    /** Sets what defines {@code ForcedProxySelector} in the bootstrap loader (the agent, at start). */
    public static void defineWith(Supplier<?> forcedSelectorDefiner) {
        definer = forcedSelectorDefiner;
    }

    /**
     * Hook at {@code ProxySelector.getDefault()}'s returns and on the JDK HttpClient's selector:
     * {@code selector}, forced. Never throws: should the definition fail, the selector is answered as
     * it is and the socket fence tunnels or blocks what it would have sent direct.
     */
    public static ProxySelector wrap(ProxySelector selector) {
        try {
            if (!defined && definer != null) {
                define();
            }
            return ForcedProxySelector.wrap(selector);
        } catch (Throwable e) {
            return selector;
        }
    }

    private static synchronized void define() {
        if (!defined) {
            definer.get();
            defined = true;
        }
    }
}
