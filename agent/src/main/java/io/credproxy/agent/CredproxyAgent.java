package io.credproxy.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point of the java agent: {@code -javaagent:credproxy-agent.jar=OPTIONS} or a runtime attach.
 *
 * <p>Does as little as possible and never throws into the application. The one exception to "never
 * disturb the host" is deliberate: when the agent cannot protect the JVM it was given at start-up (a
 * bad option, a fence that cannot be woven), it prints one line to stderr and stops the JVM with
 * status 2, because running unprotected is what it exists to prevent. At a runtime attach the JVM
 * was already running without it; there the attach fails (the line is printed and the attaching tool
 * sees the error) and the application is left as it was.
 */
public final class CredproxyAgent {
    /** The status the JVM exits with when the agent refuses to start. */
    public static final int EXIT_REFUSED = 2;

    private CredproxyAgent() {}

    public static void premain(String args, Instrumentation instrumentation) {
        String refusal = start(args, instrumentation, true);
        if (refusal != null) {
            refuse(refusal);
        }
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
        String refusal = start(args, instrumentation, false);
        if (refusal != null) {
            System.err.println(refusal);
            throw new IllegalStateException(refusal);
        }
    }

    /**
     * Prints {@code refusal} and stops the JVM with {@link #EXIT_REFUSED}: at {@code premain}, or when a
     * socket fence class the JVM loads later cannot be woven (before that class exists).
     */
    static void refuse(String refusal) {
        System.err.println(refusal);
        System.err.flush();
        // halt, not exit: no application code (shutdown hooks) runs in a JVM the agent could not protect.
        Runtime.getRuntime().halt(EXIT_REFUSED);
    }

    /** Starts the agent; the one-line refusal, or {@code null} when it runs (or already ran). */
    private static String start(String args, Instrumentation instrumentation, boolean atLaunch) {
        try {
            AgentStartup.start(args, instrumentation, System.getenv(), atLaunch);
            return null;
        } catch (AgentConfigException e) {
            return "credproxy: bad agent option: " + e.getMessage();
        } catch (Throwable e) {
            return "credproxy: the agent could not start, refusing to run unprotected: " + e;
        }
    }
}
