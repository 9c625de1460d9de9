package io.credproxy.agent.stress;

/** The application of {@link AgentStartupStressIT}: as small as a JVM start gets, so the agent's start is most of it. */
public final class StartupStressMain {
    private StartupStressMain() {}

    public static void main(String[] args) {
        System.out.println("started");
    }
}
