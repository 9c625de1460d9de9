package io.credproxy.daemon.pipeline;

import java.util.Objects;

/**
 * Thrown by a {@link ResponseHeadHook} that will not let a response through and has the answer the
 * client gets instead (e.g. 502 {@code http_response_content_coding} for a body it cannot search):
 * nothing of the response is sent, and the refusal is not logged as a failure of the stage.
 */
public final class RefusedResponse extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient StageResult answer;

    public RefusedResponse(StageResult answer) {
        super(null, null, false, false);
        if (Objects.requireNonNull(answer, "answer").proceeds()) {
            throw new IllegalArgumentException("a refusal needs a status");
        }
        this.answer = answer;
    }

    public StageResult answer() {
        return answer;
    }
}
