package io.credproxy.daemon.server;

import io.credproxy.daemon.pipeline.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AttributeKey;

/**
 * What makes a request a WebSocket handshake (RFC 6455 4.1) and its answer an accepted one, and the
 * headers the handshake keeps across the daemon although they are hop-by-hop.
 *
 * <p>Only HTTP/1.1 requests inside an intercepted tunnel qualify (so the rule's credential goes on
 * the handshake): a GET with {@code Upgrade: websocket} and {@code upgrade} among its
 * {@code Connection} tokens. {@code Sec-WebSocket-Extensions} is removed from the request, so no
 * extension (permessage-deflate) is negotiated and the server's frames stay readable for the
 * redaction of server-to-client messages ({@link WebSocketRelay}). HTTP/2 clients do not get
 * WebSocket over h2: the daemon does not send SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441), so they
 * open an HTTP/1.1 connection for it, as browsers do.
 */
final class WebSocketUpgrade {
    private static final AttributeKey<Boolean> REQUESTED = AttributeKey.valueOf("credproxy.websocket");

    private WebSocketUpgrade() {}

    /** Whether {@code request} (headers not yet stripped) asks to switch to WebSocket. */
    static boolean isRequested(HttpRequest request) {
        HttpHeaders headers = request.headers();
        return request.method().equals(HttpMethod.GET)
                && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** Puts back what hop-by-hop stripping removed from a handshake request, and marks the exchange. */
    static void keepHandshake(Exchange exchange, HttpRequest request) {
        restore(request.headers());
        request.headers().remove(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        exchange.attr(REQUESTED).set(Boolean.TRUE);
    }

    /** Whether the exchange's request was a WebSocket handshake. */
    static boolean requested(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.attr(REQUESTED).get());
    }

    /** Whether a {@code 101} (headers not yet stripped) switches to WebSocket, with no extension. */
    static boolean accepted(HttpResponse response) {
        return response.status().code() == 101
                && response.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && !response.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
    }

    /** {@code Connection: Upgrade} and {@code Upgrade: websocket}, after hop-by-hop stripping. */
    static void restore(HttpHeaders headers) {
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    }
}
