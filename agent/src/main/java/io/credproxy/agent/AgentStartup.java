package io.credproxy.agent;

import io.credproxy.agent.bootstrap.AgentContext;
import io.credproxy.agent.bootstrap.CaTrust;
import io.credproxy.agent.bootstrap.DaemonAddress;
import io.credproxy.agent.bootstrap.EgressPolicy;
import io.credproxy.agent.bootstrap.SelectorForcing;
import io.credproxy.agent.events.EventSender;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.wire.ProxyIdentity;
import java.lang.instrument.Instrumentation;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Starts the agent: bootstrap helpers, options, policy, CA source, events, then the hooks, in that
 * order.
 *
 * <p>The order matters. The bootstrap classes go first, before any class of their package is loaded;
 * the policy and the CA source are in place before the first hook can run; the hooks come last, and the
 * event sender's thread starts only once they stand (an attach that fails reports nothing). Nothing
 * before the hooks opens a socket or starts a thread, so no class the fence needs is loaded behind the
 * transformer's back. Everything that can wait waits: the CA is fetched (or read) and parsed at the
 * first TLS handshake that needs it, and client classes are woven when the application loads them.
 * {@code -Dcredproxy.agent.timing=true} prints how long each step took.
 */
final class AgentStartup {
    private static final String CONTEXT_CLASS = "io.credproxy.agent.bootstrap.AgentContext";

    private AgentStartup() {}

    /**
     * @param atLaunch {@code premain} (the socket fence is woven as its classes load) rather than an attach
     *     (they are loaded and woven now)
     * @return {@code false} when an agent was already active in this JVM (nothing was done)
     * @throws AgentConfigException for a bad option
     */
    static boolean start(String agentArgs, Instrumentation instrumentation, Map<String, String> env, boolean atLaunch)
            throws Exception {
        StartupTimer timer = StartupTimer.fromSystemProperty();
        if (alreadyActive()) {
            return false;
        }
        BootstrapHelpers.inject(instrumentation);
        if (AgentContext.class.getClassLoader() != null) {
            throw new IllegalStateException("the bootstrap helpers were loaded by " + AgentContext.class.getClassLoader()
                    + " instead of the bootstrap loader");
        }
        timer.mark("bootstrap-helpers");
        AfterBootstrap.start(agentArgs, instrumentation, env, atLaunch, timer);
        return true;
    }

    /**
     * The rest of the start, in a class of its own: verifying this code makes the JVM load the
     * bootstrap types it passes around (an {@code EventSender} is an {@code AgentEvents}), and that
     * must not happen before {@link BootstrapHelpers} has defined them in the bootstrap loader, or the
     * application loader would define them first. A nested class is loaded, and verified, when first
     * called.
     */
    private static final class AfterBootstrap {
        private AfterBootstrap() {}

        static void start(String agentArgs, Instrumentation instrumentation, Map<String, String> env, boolean atLaunch,
                StartupTimer timer) throws Exception {
            SelectorForcing.defineWith(BootstrapHelpers.deferredDefiner());
            AgentConfig config = AgentConfig.parse(agentArgs, env, System.getProperty("sun.java.command"));
            DaemonAddress proxy = address("proxy", config.proxy());
            DaemonAddress admin = address("admin", config.admin());
            String token = config.tokenFile() == null ? "" : TokenFile.read(config.tokenFile());
            EgressPolicy policy = new EgressPolicy(proxy, admin, config.direct(), config.sockets(), config.app(),
                    new ProxyIdentity(config.app(), token).toHeaderValue());
            timer.mark("options");
            CaCertificateSource ca = config.ca() != null ? CaCertificateSource.fromFile(config.ca())
                    : CaCertificateSource.fromAdmin(admin);
            timer.mark("ca");
            EventSender events = new EventSender(config.app(), new AdminEventTransport(admin));
            AgentContext.installRoutes(new TransparentRouteClient(admin, config.app()));
            AgentContext.install(policy, events);
            CaTrust.install(ca);
            Installer.install(instrumentation, events, atLaunch, timer);
            events.start();
            timer.mark("events");
            timer.print();
        }
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

    /**
     * The daemon's address for option {@code key}: an IP literal as it is (made an address when first
     * used), a name resolved now, so that one that does not resolve refuses the start.
     */
    private static DaemonAddress address(String key, HostPort address) throws AgentConfigException {
        DaemonAddress literal = DaemonAddress.literal(address.host(), address.port());
        if (literal != null) {
            return literal;
        }
        InetSocketAddress resolved = new InetSocketAddress(address.host(), address.port());
        if (resolved.isUnresolved()) {
            throw new AgentConfigException(key + "=" + address + ": cannot resolve " + address.host());
        }
        return DaemonAddress.resolved(resolved);
    }
}
