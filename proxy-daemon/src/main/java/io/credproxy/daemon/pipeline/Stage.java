package io.credproxy.daemon.pipeline;

/**
 * One step a request goes through before it is forwarded.
 *
 * <p>Stages run in a fixed order (see {@link StageChain}); each may end the exchange by returning
 * a response. A stage that throws ends the exchange with an error response: the request is never
 * forwarded unchanged after a failure (fail closed).
 */
public interface Stage {
    /** Acts on the request head before it is forwarded. */
    StageResult onRequest(Exchange exchange);

    /**
     * Called once when the exchange has ended, however it ended (answered by a stage, forwarded,
     * failed, or abandoned by the client). Must not throw.
     */
    default void onComplete(Exchange exchange) {}
}
