package io.credproxy.daemon.pipeline;

import io.credproxy.daemon.policy.ResolvedRule;
import io.credproxy.daemon.redaction.EncodedBodyRedactor;
import io.credproxy.daemon.redaction.HeaderRedaction;
import io.credproxy.daemon.redaction.RedactionPatterns;
import io.credproxy.daemon.redaction.UnsupportedContentEncodingException;
import io.credproxy.protocol.report.Decision;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.Locale;

/**
 * Takes every injected secret value out of the response before the client sees it: the status
 * line, every header, the body (streaming, in chunks, gzip and deflate decoded and encoded again)
 * and the trailers, on every exchange that carried a secret. An upstream that echoes a request (a
 * debug endpoint, an error page quoting the path, a chat API sending the message back) must not
 * hand the credential to the workload the daemon keeps it from.
 *
 * <p>What is searched for is the rule's {@link RedactionPatterns} (raw, percent-encoded, Base64,
 * JSON-escaped, ...), compiled once per policy load. Each match becomes
 * {@value RedactionPatterns#MARKER}.
 *
 * <p>To keep every echo whole and searchable, the request of such an exchange loses {@code Range}
 * and {@code If-Range} (a range starting inside a secret would cut every form short) and offers only
 * the codings the redactor decodes ({@code Accept-Encoding}). The response's length changes, so a
 * {@code Content-Length} becomes chunked framing ({@link io.credproxy.daemon.server} frames it
 * close-delimited for HTTP/1.0 clients) and digests of the original bytes are dropped. A body in a
 * coding it cannot decode, or with a transfer coding besides chunked, is refused with 502 before
 * any of it is sent; a body that stops decoding midway throws, and the relay cuts the client off
 * (nothing unsearched is sent, and the end of the body is never faked). HEAD, 204 and 304 responses
 * have no body; informational ones only a head.
 */
public final class ResponseRedactionStage implements RequestHeadHook, ResponseHeadHook, ResponseContentHook, CompletionHook {
    /** What the request offers on an exchange that carries a secret: codings the body redactor decodes. */
    static final List<String> DECODABLE = List.of("gzip", "x-gzip", "deflate", "identity");
    private static final List<String> DIGESTS = List.of("content-md5", "digest", "repr-digest", "content-digest");
    private static final AttributeKey<EncodedBodyRedactor> BODY = AttributeKey.valueOf("credproxy.redaction.body");

    @Override
    public StageResult onRequest(Exchange exchange) {
        if (patterns(exchange) == null) {
            return StageResult.proceed();
        }
        HttpHeaders headers = exchange.request().headers();
        headers.remove(HttpHeaderNames.RANGE);
        headers.remove(HttpHeaderNames.IF_RANGE);
        // No Accept-Encoding would let the upstream choose any coding (RFC 9110 12.5.3), br included.
        headers.set(HttpHeaderNames.ACCEPT_ENCODING, decodableOnly(headers.getAll(HttpHeaderNames.ACCEPT_ENCODING)));
        return StageResult.proceed();
    }

    /**
     * The client's Accept-Encoding without the codings the redactor cannot decode; {@code identity}
     * when none is left or none was sent.
     */
    static String decodableOnly(List<String> values) {
        StringBuilder kept = new StringBuilder();
        for (String value : values) {
            for (String token : value.split(",")) {
                String coding = token.split(";", 2)[0].trim();
                if (DECODABLE.contains(coding.toLowerCase(Locale.ROOT))) {
                    kept.append(kept.length() == 0 ? "" : ", ").append(token.trim());
                }
            }
        }
        return kept.length() == 0 ? HttpHeaderValues.IDENTITY.toString() : kept.toString();
    }

    @Override
    public void onResponseHead(Exchange exchange, HttpResponse response) {
        RedactionPatterns patterns = patterns(exchange);
        if (patterns == null) {
            return;
        }
        HeaderRedaction.redactHead(response, patterns);
        int code = response.status().code();
        HttpHeaders headers = response.headers();
        if (code < 200) {
            return;
        }
        DIGESTS.forEach(headers::remove);
        if (exchange.request().method().equals(HttpMethod.HEAD) || code == 204 || code == 304) {
            return;
        }
        for (String coding : headers.getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
            for (String token : coding.split(",")) {
                if (!token.trim().isEmpty() && !token.trim().equalsIgnoreCase("chunked")) {
                    throw refused("http_response_transfer_coding", "transfer coding cannot be redacted");
                }
            }
        }
        if (HttpUtil.getContentLength(response, 0L) > 0) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            HttpUtil.setTransferEncodingChunked(response, true);
        }
        String codings = String.join(",", headers.getAll(HttpHeaderNames.CONTENT_ENCODING));
        try {
            exchange.attr(BODY).set(EncodedBodyRedactor.forContentEncoding(codings, patterns, ByteBufAllocator.DEFAULT));
        } catch (UnsupportedContentEncodingException e) {
            throw refused("http_response_content_coding", e.getMessage());
        }
    }

    @Override
    public HttpContent onResponseContent(Exchange exchange, HttpContent content) {
        EncodedBodyRedactor body = exchange.attr(BODY).get();
        boolean last = content instanceof LastHttpContent;
        if (body == null) {
            RedactionPatterns patterns = last ? patterns(exchange) : null;
            if (patterns != null) {
                redactTrailers((LastHttpContent) content, patterns);
            }
            return content;
        }
        ByteBuf out = null;
        try {
            out = body.redact(content.content());
            if (last) {
                exchange.attr(BODY).set(null);
                out = join(out, body.finish());
            }
        } catch (RuntimeException e) {
            // The redactor released what it held; the chain releases the content and the relay cuts the client off.
            if (out != null) {
                out.release();
            }
            exchange.attr(BODY).set(null);
            exchange.reason("response body could not be decoded to be redacted; connection closed");
            throw e;
        }
        if (!last) {
            content.release();
            return new DefaultHttpContent(out);
        }
        LastHttpContent redacted = new DefaultLastHttpContent(out);
        redacted.trailingHeaders().set(((LastHttpContent) content).trailingHeaders());
        content.release();
        redactTrailers(redacted, patterns(exchange));
        return redacted;
    }

    @Override
    public void onComplete(Exchange exchange) {
        EncodedBodyRedactor body = exchange.attr(BODY).getAndSet(null);
        if (body != null) {
            body.close(); // the exchange ended without its last piece: release what is held, send nothing
        }
    }

    private static void redactTrailers(LastHttpContent last, RedactionPatterns patterns) {
        HttpHeaders trailers = last.trailingHeaders();
        if (!trailers.isEmpty()) {
            DIGESTS.forEach(trailers::remove);
            HeaderRedaction.redactTrailers(last, patterns);
        }
    }

    private static ByteBuf join(ByteBuf head, ByteBuf tail) {
        if (!tail.isReadable()) {
            tail.release();
            return head;
        }
        if (!head.isReadable()) {
            head.release();
            return tail;
        }
        return Unpooled.wrappedBuffer(head, tail);
    }

    /** The patterns to take out of this exchange's response; {@code null} when it carried no secret. */
    private static RedactionPatterns patterns(Exchange exchange) {
        ResolvedRule rule = exchange.rule();
        if (exchange.decision() != Decision.INJECTED || rule == null || rule.redaction().isEmpty()) {
            return null;
        }
        return rule.redaction();
    }

    private static RefusedResponse refused(String proxyStatus, String reason) {
        return new RefusedResponse(StageResult.error(HttpResponseStatus.BAD_GATEWAY, "upstream response: " + reason, proxyStatus));
    }
}
