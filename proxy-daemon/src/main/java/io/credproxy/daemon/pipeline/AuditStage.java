package io.credproxy.daemon.pipeline;

/**
 * Records every exchange once it has ended: one audit event and one access-log line.
 *
 * <p>Does nothing on the way in; it is a stage so that the chain's one ordered list shows every
 * step a request goes through, and so that denied and failed requests are recorded like the rest.
 */
public final class AuditStage implements Stage {
    private final AuditRecorder recorder;

    public AuditStage(AuditRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public StageResult onRequest(Exchange exchange) {
        return StageResult.proceed();
    }

    @Override
    public void onComplete(Exchange exchange) {
        recorder.record(exchange);
    }
}
