package io.credproxy.agent.instrumentation.proxyselector;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import io.credproxy.agent.bootstrap.ForcedProxySelector;
import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.instrumentation.TypeAdvice;
import java.net.ProxySelector;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * {@code ProxySelector.getDefault()} always answers the forced selector, whatever
 * {@code setDefault} was given (including {@code null}) and whatever {@code http.nonProxyHosts} says.
 *
 * <p>Serves the clients the agent knows nothing about that honour the JVM default (and
 * {@code HttpURLConnection} for exempt hosts); the known clients are forced in their own instrumentation.
 */
public final class ProxySelectorInstrumentation implements ClientInstrumentation {
    @Override
    public String client() {
        return "java.net.ProxySelector";
    }

    @Override
    public List<TypeAdvice> advice() {
        return List.of(TypeAdvice.optional("java.net.ProxySelector",
                named("getDefault").and(isStatic()).and(takesNoArguments()), GetDefaultAdvice.class));
    }

    static final class GetDefaultAdvice {
        private GetDefaultAdvice() {}

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return(readOnly = false) ProxySelector selector) {
            selector = ForcedProxySelector.wrap(selector);
        }
    }
}
