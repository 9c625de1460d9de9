package io.credproxy.daemon.pipeline;

import io.netty.handler.codec.http.HttpContent;

/**
 * Hook 7: a piece of a response body on its way to the client; the last piece is a
 * {@link io.netty.handler.codec.http.LastHttpContent} carrying the trailers.
 *
 * <p>The hook takes ownership of {@code content} and returns the content to pass on (the same
 * object, edited, or a new one after releasing the old). A streaming transformer may hold back a
 * few bytes between pieces (a match that could continue in the next piece), keeping them in a
 * buffer on the {@link Exchange#attr exchange}; it returns what is safe to send (possibly empty)
 * and, on the last piece, everything it held back before the trailers. Whatever it holds must be
 * released in its {@link CompletionHook} too, since an exchange can end without a last piece. A
 * hook that throws closes the client connection: bytes that a stage did not process are never sent.
 */
@FunctionalInterface
public interface ResponseContentHook extends Stage {
    HttpContent onResponseContent(Exchange exchange, HttpContent content);
}
