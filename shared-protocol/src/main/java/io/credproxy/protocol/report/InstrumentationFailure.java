package io.credproxy.protocol.report;

/**
 * A hook the agent could not weave in one app (an {@code instrumentation_failed} agent event): the
 * client is not forced through the daemon by its own instrumentation there, only the socket fence
 * catches its connections. An error for the operator, shown in red by the report.
 *
 * @param client the client whose hook failed ({@code jdk-httpclient}, {@code okhttp}, ...)
 * @param hook the type and method the agent looked for and did not find, or could not weave
 */
public record InstrumentationFailure(String client, String hook) implements Comparable<InstrumentationFailure> {
    @Override
    public int compareTo(InstrumentationFailure other) {
        int byClient = String.valueOf(client).compareTo(String.valueOf(other.client));
        return byClient != 0 ? byClient : String.valueOf(hook).compareTo(String.valueOf(other.hook));
    }
}
