package io.credproxy.daemon.pipeline;

/**
 * One step of the {@link StageChain}: a class that implements one or more of the hook interfaces,
 * each a point where the proxy decides something.
 *
 * <p>The hooks, in the order a connection meets them: {@link ConnectionHook} (a client connected),
 * {@link TargetHook} (a CONNECT or absolute-form target is known: intercept, tunnel or refuse),
 * {@link UpstreamAddressHook} (the upstream name resolved, before the connect), {@link RequestHeadHook},
 * {@link RequestContentHook} (each body piece and the trailers), {@link ResponseHeadHook},
 * {@link ResponseContentHook} (each body piece and the trailers, may transform) and
 * {@link CompletionHook} (the exchange ended, however it ended). The chain keeps one list per hook
 * of the stages that implement it, so a stage costs nothing at the hooks it does not implement.
 *
 * <p>Stages are shared by every connection and called on event loops: they keep per-exchange state
 * on the {@link Exchange} ({@link Exchange#attr}) or per-connection state on the {@link Connection},
 * must not block, and fail closed: a hook that throws ends the exchange with an error and nothing
 * is forwarded unchanged (see each hook).
 */
public interface Stage {
    /** The name used in logs. */
    default String name() {
        return getClass().getSimpleName();
    }
}
