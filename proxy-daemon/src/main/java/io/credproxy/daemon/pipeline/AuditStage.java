package io.credproxy.daemon.pipeline;

/**
 * Records every exchange once it has ended: one audit event and one access-log line, for requests
 * and tunnels alike, denied and failed ones included.
 */
public final class AuditStage implements CompletionHook {
    private final AuditRecorder recorder;

    public AuditStage(AuditRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void onComplete(Exchange exchange) {
        recorder.record(exchange);
    }
}
