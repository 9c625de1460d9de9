package io.credproxy.agent.instrumentation;

import io.credproxy.agent.weave.MethodHook;
import java.util.List;

/**
 * What the agent changes in one client library: the methods it hooks and the helper each calls.
 *
 * <p>Every client gets the same two changes, whatever its API: its requests are forced through the
 * daemon (and carry the app's {@code Proxy-Authorization}), and it trusts the daemon's CA through the
 * JDK's default trust (see {@code TrustInstrumentation}). Implementations only describe; the
 * {@code Installer} weaves. The decisions themselves are Java code in the bootstrap helpers
 * ({@code io.credproxy.agent.bootstrap}), which the hooks call.
 */
public interface ClientInstrumentation {
    /** The client's name in the agent's events and messages ({@code okhttp}, {@code jdk-httpclient}, ...). */
    String client();

    /** The hooks to weave. */
    List<MethodHook> hooks();
}
