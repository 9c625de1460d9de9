package io.credproxy.daemon.server;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/** Receives what an upstream connection delivers while it serves one exchange. */
interface UpstreamListener {
    /** The response head; ownership passes to the listener. */
    void onResponseHead(HttpResponse response);

    /** A piece of the response body; ownership passes to the listener. */
    void onResponseContent(HttpContent content);

    /** The upstream's socket read is done: flush what it produced to the client. */
    void onUpstreamReadComplete();

    void onUpstreamWritabilityChanged();

    /** The connection closed or failed; {@code cause} is {@code null} for a plain close. */
    void onUpstreamClosed(Throwable cause);
}
