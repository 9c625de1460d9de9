package io.credproxy.daemon.pipeline;

/**
 * A stage threw on a response or content hook: the exchange must end without passing on what the
 * stage did not process. Carries the stage's name (the stage's exception was logged, redacted) and,
 * when the stage refused the response on purpose ({@link RefusedResponse}), the answer it chose.
 */
public final class StageFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient StageResult answer;

    StageFailure(String stage) {
        this(stage, null);
    }

    StageFailure(String stage, StageResult answer) {
        super("stage " + stage + " failed", null, false, false);
        this.answer = answer;
    }

    /** The answer a stage chose instead of the response ({@link RefusedResponse}); {@code null} when it failed. */
    public StageResult answer() {
        return answer;
    }
}
