package io.credproxy.daemon.pipeline;

/**
 * A stage threw on a response or content hook: the exchange must end without passing on what the
 * stage did not process. Carries the stage's name only (the stage's exception was logged, redacted).
 */
public final class StageFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StageFailure(String stage) {
        super("stage " + stage + " failed", null, false, false);
    }
}
