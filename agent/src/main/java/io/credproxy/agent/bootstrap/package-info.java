/**
 * Classes that code woven into JDK and library classes calls at run time.
 *
 * <p>Hooks are woven into {@code java.net.Socket}, {@code sun.security.ssl.X509TrustManagerImpl},
 * OkHttp and so on; the code they call must be visible from the class loader of every one of those
 * classes. The only loader every other loader delegates to is the bootstrap loader, so at start the
 * agent defines this package there ({@code BootstrapHelpers}). Hence the rules for this package: JDK
 * types only (the bootstrap loader cannot see ASM, the shared protocol, the agent's other classes or
 * the application's libraries, which {@link io.credproxy.agent.bootstrap.OkHttpHooks} and
 * {@link io.credproxy.agent.bootstrap.ApacheHooks} reach by reflection), little static state (the
 * policy and events in {@link io.credproxy.agent.bootstrap.AgentContext}, the CA in
 * {@link io.credproxy.agent.bootstrap.CaTrust}, per-class reflection caches), and nothing loaded
 * from here before the package is defined. Hook methods called from client code never throw; those of
 * the socket fence throw exactly what the application must see.
 */
package io.credproxy.agent.bootstrap;
