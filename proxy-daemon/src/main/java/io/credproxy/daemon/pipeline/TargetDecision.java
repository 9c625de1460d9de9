package io.credproxy.daemon.pipeline;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;

/**
 * What a {@link TargetHook} decided about a destination: no opinion, intercept, tunnel, or refuse
 * with an answer.
 */
public final class TargetDecision {
    /** What to do with the destination. */
    public enum Action { PROCEED, INTERCEPT, TUNNEL, REFUSE }

    /** No opinion: the next stage decides. */
    public static final TargetDecision PROCEED = new TargetDecision(Action.PROCEED, null);
    /** Terminate the client's TLS and run every request in the tunnel through the chain (CONNECT only). */
    public static final TargetDecision INTERCEPT = new TargetDecision(Action.INTERCEPT, null);
    /** Relay opaque bytes; nothing in the tunnel is seen or changed (CONNECT only). */
    public static final TargetDecision TUNNEL = new TargetDecision(Action.TUNNEL, null);

    private final Action action;
    private final StageResult refusal;

    private TargetDecision(Action action, StageResult refusal) {
        this.action = action;
        this.refusal = refusal;
    }

    /** Refuse with the daemon's own answer (a denial or an error); nothing is connected. */
    public static TargetDecision refuse(StageResult answer) {
        if (Objects.requireNonNull(answer, "answer").proceeds()) {
            throw new IllegalArgumentException("a refusal needs a status");
        }
        return new TargetDecision(Action.REFUSE, answer);
    }

    /** Refuse by policy ({@code http_request_denied}). */
    public static TargetDecision refuse(HttpResponseStatus status, String reason) {
        return refuse(StageResult.deny(status, reason));
    }

    public Action action() {
        return action;
    }

    /** The answer of a refusal; {@code null} otherwise. */
    public StageResult refusal() {
        return refusal;
    }

    @Override
    public String toString() {
        return refusal == null ? action.name() : action + " " + refusal.status().code();
    }
}
