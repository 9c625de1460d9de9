package io.credproxy.daemon.pipeline;

import io.credproxy.protocol.report.Decision;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered stages every request goes through, assembled in one place.
 *
 * <p>{@link #standard} is the daemon's chain: {@link PolicyStage} (may the request go, and with
 * which rule) then {@link InjectionStage} (add the credentials) then {@link AuditStage} (record it
 * when it ends). A stage that throws ends the exchange with 502 and the request is not forwarded:
 * the daemon fails closed.
 */
public final class StageChain {
    private static final Logger LOG = LoggerFactory.getLogger(StageChain.class);

    private final List<Stage> stages;

    public StageChain(List<Stage> stages) {
        this.stages = List.copyOf(stages);
    }

    public static StageChain standard(AuditRecorder audit) {
        return new StageChain(List.of(new PolicyStage(), new InjectionStage(), new AuditStage(audit)));
    }

    /**
     * Runs every stage's {@link Stage#onRequest} in order until one ends the exchange.
     *
     * @return {@link StageResult#proceed()} when the request may be forwarded as the stages left it
     */
    public StageResult onRequest(Exchange exchange) {
        for (Stage stage : stages) {
            StageResult result;
            try {
                result = stage.onRequest(exchange);
            } catch (RuntimeException | Error e) {
                // Fail closed: whatever the stage did to the request so far, it is not forwarded.
                LOG.error("{} failed on {} {}: {}", stage.getClass().getSimpleName(), exchange.method(),
                        exchange.destination(), exchange.policy().redactor().redact(String.valueOf(e)));
                exchange.secretNames().clear();
                return StageResult.error(HttpResponseStatus.BAD_GATEWAY, "internal error, request not forwarded",
                        "proxy_internal_error");
            }
            if (result == null) {
                exchange.secretNames().clear();
                return StageResult.error(HttpResponseStatus.BAD_GATEWAY, "internal error, request not forwarded",
                        "proxy_internal_error");
            }
            if (!result.proceeds()) {
                exchange.decision(result.decision());
                exchange.reason(result.reason());
                if (result.decision() != Decision.INJECTED) {
                    exchange.secretNames().clear();
                }
                return result;
            }
        }
        return StageResult.proceed();
    }

    /** Tells every stage the exchange ended; a stage that throws here is logged and skipped. */
    public void onComplete(Exchange exchange) {
        for (Stage stage : stages) {
            try {
                stage.onComplete(exchange);
            } catch (RuntimeException e) {
                LOG.error("{} failed after {} {}: {}", stage.getClass().getSimpleName(), exchange.method(),
                        exchange.destination(), exchange.policy().redactor().redact(String.valueOf(e)));
            }
        }
    }
}
