package io.credproxy.daemon.server;

import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The HTTP/1.1 codecs on both sides of the proxy, with their size limits in one place.
 *
 * <p>Request heads from clients are capped ({@value #MAX_REQUEST_LINE} bytes for the request line,
 * {@value #MAX_REQUEST_HEADERS} for the headers) so that one client cannot make the daemon buffer
 * without bound; beyond them the client gets 414 or 431. Upstream responses may carry larger
 * headers (cookies, long CSPs). Bodies are never limited: they stream in chunks of at most
 * {@value #MAX_CHUNK} bytes.
 */
public final class HttpCodecs {
    public static final int MAX_REQUEST_LINE = 8 * 1024;
    public static final int MAX_REQUEST_HEADERS = 32 * 1024;
    /** The most of a request head a client can make the daemon hold. */
    public static final int MAX_REQUEST_HEAD = MAX_REQUEST_LINE + MAX_REQUEST_HEADERS;
    public static final int MAX_RESPONSE_HEADERS = 64 * 1024;
    public static final int MAX_CHUNK = 64 * 1024;

    private HttpCodecs() {}

    /** The codec facing a client of the proxy (plain or inside an intercepted tunnel). */
    public static HttpServerCodec server() {
        return new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(MAX_REQUEST_HEADERS)
                .setMaxChunkSize(MAX_CHUNK));
    }

    /** The codec facing an upstream server. */
    public static HttpClientCodec client() {
        return new HttpClientCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(MAX_RESPONSE_HEADERS)
                .setMaxChunkSize(MAX_CHUNK), false, false);
    }
}
