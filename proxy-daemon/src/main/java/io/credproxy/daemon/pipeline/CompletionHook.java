package io.credproxy.daemon.pipeline;

/**
 * Hook 8: an exchange ended, however it ended: forwarded, answered by a stage or a target decision,
 * failed, abandoned by the client, or a tunnel whose both sides closed. Called exactly once per
 * exchange; the place for audit and metrics. An intercepted CONNECT completes through the requests
 * inside it; only a failed client TLS handshake completes the CONNECT itself.
 *
 * <p>Must not throw (a hook that does is logged and the others still run).
 */
@FunctionalInterface
public interface CompletionHook extends Stage {
    void onComplete(Exchange exchange);
}
