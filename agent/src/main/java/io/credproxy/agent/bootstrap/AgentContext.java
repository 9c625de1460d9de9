package io.credproxy.agent.bootstrap;

/**
 * The one place the agent's run-time state lives, for the advice woven into other classes.
 *
 * <p>Set once by the installer before any instrumentation is active. Until then (and in a JVM
 * without the agent, such as a unit test) {@link #policy()} is {@code null} and the helpers change
 * nothing.
 */
public final class AgentContext {
    private static volatile EgressPolicy policy;
    private static volatile AgentEvents events = AgentEvents.NONE;
    private static volatile TransparentRoutes routes = TransparentRoutes.NONE;

    private AgentContext() {}

    /** Makes {@code policy} and {@code events} the agent's state; later calls replace it (tests). */
    public static void install(EgressPolicy policy, AgentEvents events) {
        AgentContext.events = events == null ? AgentEvents.NONE : events;
        AgentContext.policy = policy;
    }

    /** The active policy, or {@code null} when the agent is not installed. */
    public static EgressPolicy policy() {
        return policy;
    }

    public static AgentEvents events() {
        return events;
    }

    /** Makes {@code routes} where forced non-blocking and native connects go (before any hook runs). */
    public static void installRoutes(TransparentRoutes routes) {
        AgentContext.routes = routes == null ? TransparentRoutes.NONE : routes;
    }

    public static TransparentRoutes routes() {
        return routes;
    }
}
