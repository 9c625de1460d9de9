package io.credproxy.daemon.pipeline;

/**
 * Hook 4: a request head, before it is forwarded.
 *
 * <p>Stages edit {@link Exchange#request()} in place (it is the head that will be sent) or end the
 * exchange with an answer from the daemon. The first answer stops the chain. A hook that throws (or
 * returns {@code null}) ends the exchange with 502 and the request is not forwarded.
 */
@FunctionalInterface
public interface RequestHeadHook extends Stage {
    StageResult onRequest(Exchange exchange);
}
