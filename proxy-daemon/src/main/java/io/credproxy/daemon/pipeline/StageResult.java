package io.credproxy.daemon.pipeline;

import io.credproxy.protocol.report.Decision;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;

/**
 * What a stage decided about a request: go on to the next stage, or end the exchange with a
 * response from the daemon.
 *
 * @param status the status to answer with; {@code null} to go on
 * @param reason a short reason for the client and the logs (never a secret value)
 * @param decision how the ended exchange is recorded
 * @param proxyStatus the RFC 9209 {@code Proxy-Status} error type
 */
public record StageResult(HttpResponseStatus status, String reason, Decision decision, String proxyStatus) {
    private static final StageResult PROCEED = new StageResult(null, null, null, null);

    /** Go on to the next stage. */
    public static StageResult proceed() {
        return PROCEED;
    }

    /** End the exchange: refused by policy. */
    public static StageResult deny(HttpResponseStatus status, String reason) {
        return new StageResult(status, reason, Decision.DENIED, "http_request_denied");
    }

    /** End the exchange: the daemon failed. */
    public static StageResult error(HttpResponseStatus status, String reason, String proxyStatus) {
        return new StageResult(status, reason, Decision.ERROR, proxyStatus);
    }

    public boolean proceeds() {
        return status == null;
    }

    public StageResult {
        if (status != null) {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(decision, "decision");
        }
    }
}
