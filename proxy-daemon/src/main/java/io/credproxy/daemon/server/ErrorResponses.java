package io.credproxy.daemon.server;

import io.credproxy.daemon.pipeline.AuditRecorder;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Responses the daemon itself sends: a status, one line of plain text starting with
 * {@code credproxy:}, and an RFC 9209 {@code Proxy-Status} header naming the error type.
 *
 * <p>Callers pass reasons the daemon wrote (never an exception message, which could quote a
 * request); the text is still cut to printable ASCII, because a host name in it came from a client.
 */
public final class ErrorResponses {
    public static final String PROXY_NAME = "credproxy";

    private ErrorResponses() {}

    public static FullHttpResponse of(HttpResponseStatus status, String reason, String proxyStatusError, boolean keepAlive) {
        String safe = ascii(AuditRecorder.printable(reason, 300));
        byte[] body = (PROXY_NAME + ": " + safe + "\n").getBytes(StandardCharsets.US_ASCII);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (proxyStatusError != null) {
            response.headers().set("Proxy-Status", PROXY_NAME + "; error=" + proxyStatusError
                    + "; details=\"" + safe.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        if (status.code() == HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED.code()) {
            // RFC 9110 15.5.8: a 407 says how to authenticate. The agent sends Basic base64(app:token).
            response.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"" + PROXY_NAME + "\"");
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    /** Escaped text may keep non-ASCII letters; a header value is printable ASCII (and so, belt and braces, no control). */
    private static String ascii(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
