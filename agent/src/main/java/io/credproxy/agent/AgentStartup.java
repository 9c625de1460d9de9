package io.credproxy.agent;

import io.credproxy.agent.bootstrap.AgentContext;
import io.credproxy.agent.bootstrap.AgentEvents;
import io.credproxy.agent.bootstrap.CaTrust;
import io.credproxy.agent.bootstrap.EgressPolicy;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.wire.ProxyIdentity;
import java.lang.instrument.Instrumentation;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Starts the agent: bootstrap helpers, options, policy, CA, then the instrumentation, in that order.
 *
 * <p>The order matters. The bootstrap jar goes first, before any class of its package is loaded; the
 * policy is in place before the first advice can run; and the instrumentation comes last, so that a
 * connect the agent makes itself (none, here: the CA is fetched in the background) is not affected.
 */
final class AgentStartup {
    private static final String CONTEXT_CLASS = "io.credproxy.agent.bootstrap.AgentContext";

    private AgentStartup() {}

    /**
     * @return {@code false} when an agent was already active in this JVM (nothing was done)
     * @throws AgentConfigException for a bad option
     */
    static boolean start(String agentArgs, Instrumentation instrumentation, Map<String, String> env) throws Exception {
        if (alreadyActive()) {
            return false;
        }
        BootstrapHelpers.inject(instrumentation);
        if (AgentContext.class.getClassLoader() != null) {
            throw new IllegalStateException("the bootstrap helpers were loaded by " + AgentContext.class.getClassLoader()
                    + " instead of the bootstrap loader");
        }
        AgentConfig config = AgentConfig.parse(agentArgs, env, System.getProperty("sun.java.command"));
        InetSocketAddress proxy = resolve("proxy", config.proxy());
        InetSocketAddress admin = resolve("admin", config.admin());
        EgressPolicy policy = new EgressPolicy(proxy, admin, config.direct(), config.sockets(), config.app(),
                new ProxyIdentity(config.app(), "").toHeaderValue());
        CaCertificateSource ca = config.ca() != null ? CaCertificateSource.fromFile(config.ca())
                : CaCertificateSource.fromAdmin(admin);
        AgentEvents events = AgentEvents.NONE;
        AgentContext.install(policy, events);
        CaTrust.install(ca);
        Installer.install(instrumentation, events);
        return true;
    }

    /** Whether the bootstrap helpers are already on the bootstrap path with a policy set (a second attach). */
    private static boolean alreadyActive() {
        try {
            // Asks the bootstrap loader only; the application loader must not define the class.
            Class<?> context = Class.forName(CONTEXT_CLASS, false, null);
            return context.getMethod("policy").invoke(null) != null;
        } catch (ClassNotFoundException e) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot tell whether the agent is already active", e);
        }
    }

    private static InetSocketAddress resolve(String key, HostPort address) throws AgentConfigException {
        InetSocketAddress resolved = new InetSocketAddress(address.host(), address.port());
        if (resolved.isUnresolved()) {
            throw new AgentConfigException(key + "=" + address + ": cannot resolve " + address.host());
        }
        return resolved;
    }
}
