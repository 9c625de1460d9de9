package io.credproxy.daemon.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * How a final response head is framed for the client, and what that means for both connections.
 *
 * <p>A body that ends when the upstream closes is re-framed as chunked for an HTTP/1.1 client, so
 * its connection can stay open; an HTTP/1.0 client, which has no chunked coding, gets the body as it
 * comes and the end by a close. The head says {@code Connection: close} whenever the client
 * connection will close. Pure: it edits the head and returns the consequences.
 *
 * @param closeClient whether the client connection must close after this response
 * @param upstreamReusable whether the upstream connection may carry another request afterwards
 */
record ResponseFraming(boolean closeClient, boolean upstreamReusable) {

    /**
     * Frames {@code response} (hop-by-hop headers already removed) for the client.
     *
     * @param upstreamKeepAlive whether the upstream's head allowed keep-alive (read before its
     *     Connection header was removed)
     * @param bodyless whether the response has no body whatever its headers say (HEAD, 204, 304)
     * @param closeClient whether the client connection already has to close
     */
    static ResponseFraming apply(HttpResponse response, boolean upstreamKeepAlive, boolean bodyless, boolean clientHttp10,
            boolean clientKeepAlive, boolean closeClient) {
        boolean reusable = upstreamKeepAlive;
        boolean close = closeClient || !clientKeepAlive;
        if (!bodyless && !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)) {
            // The body ends when the upstream closes.
            reusable = false;
            if (clientHttp10) {
                close = true;
            } else {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        }
        if (clientHttp10 && HttpUtil.isTransferEncodingChunked(response)) {
            HttpUtil.setTransferEncodingChunked(response, false);
            close = true;
        }
        HttpHeaders headers = response.headers();
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        return new ResponseFraming(close, reusable);
    }
}
