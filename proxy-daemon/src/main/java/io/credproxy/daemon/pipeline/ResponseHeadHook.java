package io.credproxy.daemon.pipeline;

import io.netty.handler.codec.http.HttpResponse;

/**
 * Hook 6: a response head from the upstream (informational ones included), hop-by-hop headers
 * already removed, before the client sees it. Stages rewrite its headers in place.
 *
 * <p>A hook that throws ends the exchange with 502 and nothing of the response is sent.
 */
@FunctionalInterface
public interface ResponseHeadHook extends Stage {
    void onResponseHead(Exchange exchange, HttpResponse response);
}
