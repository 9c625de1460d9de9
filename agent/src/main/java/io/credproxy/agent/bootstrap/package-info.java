/**
 * Classes that advice woven into JDK and library classes calls at run time.
 *
 * <p>Advice is inlined into {@code java.net.Socket}, {@code sun.security.ssl.X509TrustManagerImpl},
 * OkHttp and so on; the code it calls must be visible from the class loader of every one of those
 * classes. The only loader every other loader delegates to is the bootstrap loader, so at start the
 * agent copies this package into a small jar and appends it with
 * {@link java.lang.instrument.Instrumentation#appendToBootstrapClassLoaderSearch} (see
 * {@code BootstrapJar}). Hence the rules for this package: JDK types only (the bootstrap loader
 * cannot see Byte Buddy, the shared protocol or the agent's other classes), no static state
 * except what {@link io.credproxy.agent.bootstrap.AgentContext} holds, and nothing loaded from
 * here before the jar is appended.
 */
package io.credproxy.agent.bootstrap;
