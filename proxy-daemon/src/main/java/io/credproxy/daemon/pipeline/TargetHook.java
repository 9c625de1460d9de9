package io.credproxy.daemon.pipeline;

/**
 * Hook 2: the destination is known from a CONNECT authority or an absolute-form {@code http://}
 * URL, before anything is connected.
 *
 * <p>The first stage that returns something other than {@link TargetDecision#PROCEED} decides. For
 * a CONNECT the choice is to intercept (terminate TLS and run every request in the tunnel through
 * the chain), to tunnel (relay opaque bytes) or to refuse; for a plain-HTTP request, to go on or to
 * refuse. When no stage decides, a CONNECT is tunneled (no credential can leave through an opaque
 * tunnel) and a plain request goes on. A hook that throws refuses with 502.
 */
public interface TargetHook extends Stage {
    TargetDecision onTarget(Target target);
}
