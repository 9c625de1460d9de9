package io.credproxy.agent;

import java.lang.instrument.Instrumentation;

/** Entry point of the java agent; the instrumentations arrive with the agent issue. */
public final class CredproxyAgent {
    private CredproxyAgent() {}

    public static void premain(String args, Instrumentation instrumentation) {}

    public static void agentmain(String args, Instrumentation instrumentation) {}
}
