package io.credproxy.daemon.pipeline;

import io.netty.handler.codec.http.HttpContent;

/**
 * Hook 5: a piece of a request body on its way upstream; the last piece is a
 * {@link io.netty.handler.codec.http.LastHttpContent} carrying the trailers.
 *
 * <p>Same contract as {@link ResponseContentHook}, in the other direction. A hook that throws ends
 * the exchange: 502 if no response has started, else the client connection is closed.
 */
@FunctionalInterface
public interface RequestContentHook extends Stage {
    HttpContent onRequestContent(Exchange exchange, HttpContent content);
}
