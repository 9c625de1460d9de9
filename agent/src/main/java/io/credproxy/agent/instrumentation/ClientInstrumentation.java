package io.credproxy.agent.instrumentation;

import java.util.List;

/**
 * What the agent changes in one client library: the types, the methods and the advice for each.
 *
 * <p>Every client gets the same two changes, whatever its API: its requests are forced through the
 * daemon (and carry the app's {@code Proxy-Authorization}), and it trusts the daemon's CA through the
 * JDK's default trust (see {@code TrustInstrumentation}). Implementations only describe; the
 * {@code Installer} weaves.
 */
public interface ClientInstrumentation {
    /** The client's name in the agent's events and messages ({@code okhttp}, {@code jdk-httpclient}, ...). */
    String client();

    /** The advice to weave, by type. */
    List<TypeAdvice> advice();
}
