package io.credproxy.agent;

/**
 * How long each step of the agent's start took, printed as one line on stderr when the JVM runs with
 * {@code -Dcredproxy.agent.timing=true}: the profile behind the start-up numbers in docs/AGENT.md.
 */
final class StartupTimer {
    static final String PROPERTY = "credproxy.agent.timing";

    private final boolean enabled;
    private final long start;
    private long last;
    private final StringBuilder spans = new StringBuilder();

    private StartupTimer(boolean enabled) {
        this.enabled = enabled;
        this.start = System.nanoTime();
        this.last = start;
    }

    static StartupTimer fromSystemProperty() {
        return new StartupTimer(Boolean.getBoolean(PROPERTY));
    }

    /** Ends the step called {@code step}, which began at the last mark (or at creation). */
    void mark(String step) {
        if (enabled) {
            long now = System.nanoTime();
            spans.append(' ').append(step).append('=').append(millis(now - last));
            last = now;
        }
    }

    /** Prints the steps and the total. */
    void print() {
        if (enabled) {
            System.err.println("credproxy: agent start-up (ms):" + spans + " total=" + millis(System.nanoTime() - start));
        }
    }

    private static String millis(long nanos) {
        long tenths = nanos / 100_000;
        return tenths / 10 + "." + tenths % 10;
    }
}
