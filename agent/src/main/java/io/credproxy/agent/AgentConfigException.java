package io.credproxy.agent;

/** A bad agent option; the message names the option and the problem in one line. */
public final class AgentConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public AgentConfigException(String message) {
        super(message);
    }
}
