package io.credproxy.agent.instrumentation.proxyselector;

import io.credproxy.agent.bootstrap.SelectorForcing;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.Call;
import io.credproxy.agent.weave.MethodHook;
import io.credproxy.agent.weave.MethodMatcher;
import java.util.List;

/**
 * {@code ProxySelector.getDefault()} always answers the forced selector, whatever
 * {@code setDefault} was given (including {@code null}) and whatever {@code http.nonProxyHosts} says.
 *
 * <p>Serves the clients the agent knows nothing about that honour the JVM default (and
 * {@code HttpURLConnection} for exempt hosts); the known clients are forced in their own instrumentation.
 */
public final class ProxySelectorInstrumentation implements ClientInstrumentation {
    private static final String SELECTOR = "Ljava/net/ProxySelector;";

    @Override
    public String client() {
        return "java.net.ProxySelector";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(MethodHook.in("java.net.ProxySelector", MethodMatcher.named("getDefault").returns(SELECTOR))
                .replacingReturn(Call.to(SelectorForcing.class, "wrap", "(" + SELECTOR + ")" + SELECTOR)));
    }
}
