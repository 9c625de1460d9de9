package io.credproxy.daemon.server;

import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.HopByHopHeaders;
import io.credproxy.daemon.pipeline.StageFailure;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The response half of a {@link ForwardedExchange}: the upstream's response head and body on their
 * way to the client, through the chain's response hooks, framed for the client by
 * {@link ResponseFraming}, read from the upstream only as fast as the client takes it.
 *
 * <p>Informational responses (100, 103) pass on before the final one; 101 is refused unless it
 * accepts the exchange's WebSocket handshake, which turns the exchange into a
 * {@link WebSocketRelay}. A response stage that fails before anything was sent becomes a 502; once
 * the head is out, the client connection is closed instead, so bytes a stage did not process are
 * never sent.
 */
final class ResponseRelay {
    private final ForwardedExchange ex;
    private final ChannelHandlerContext client;
    private final ProxyContext proxy;
    private final Exchange exchange;
    private final boolean clientKeepAlive;
    private final boolean clientHttp10;
    private final boolean expectsBody;
    private boolean started;
    private boolean complete;
    private boolean informational;
    private final ResponseTimeout timeout;

    ResponseRelay(ForwardedExchange ex, ChannelHandlerContext client, ProxyContext proxy, Exchange exchange,
            boolean clientKeepAlive, boolean clientHttp10, boolean expectsBody) {
        this.ex = ex;
        this.client = client;
        this.proxy = proxy;
        this.exchange = exchange;
        this.clientKeepAlive = clientKeepAlive;
        this.clientHttp10 = clientHttp10;
        this.expectsBody = expectsBody;
        this.timeout = new ResponseTimeout(client, proxy.responseTimeoutMillis(), () -> {
            if (!ex.finished && !started) {
                ex.fail(UpstreamFailure.responseTimeout(proxy.responseTimeoutMillis()));
            }
        });
    }

    /** Whether a final response (or the daemon's own answer) has started. */
    boolean started() {
        return started;
    }

    /** Whether an informational response (100, 103) is on its way to the client. */
    boolean informational() {
        return informational;
    }

    boolean complete() {
        return complete;
    }

    /** The daemon answered itself: no upstream response will be relayed. */
    void answered() {
        started = true;
        complete = true;
    }

    void onClientWritabilityChanged() {
        if (!ex.finished && started && !complete && ex.upstream != null && client.channel().isWritable()) {
            ex.upstream.read();
        }
    }

    void onResponseHead(HttpResponse response) {
        if (ex.finished) {
            return;
        }
        cancelTimeout();
        int code = response.status().code();
        boolean webSocket = code == 101 && WebSocketUpgrade.requested(exchange) && WebSocketUpgrade.accepted(response);
        if (code == 101 && !webSocket) {
            ReferenceCountUtil.release(response);
            ex.fail(new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "http_protocol_error",
                    "upstream switched protocols, which the daemon relays only for a WebSocket handshake"));
            return;
        }
        boolean upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        HopByHopHeaders.strip(response.headers());
        try {
            proxy.stages().onResponseHead(exchange, response);
        } catch (StageFailure e) {
            ReferenceCountUtil.release(response);
            if (e.answer() != null) {
                ex.fail(UpstreamFailure.of(e.answer()));
            } else {
                ex.stageFailed();
            }
            return;
        }
        if (webSocket) {
            answered(); // the WebSocket relay takes both connections over
            WebSocketRelay.takeOver(ex, client, response, exchange, proxy);
            return;
        }
        if (code >= 100 && code < 200) {
            // 100 Continue, 103 Early Hints: pass on (whole: an h2 client gets it as one HEADERS
            // frame that does not end the stream), then wait for the final response.
            informational = true;
            ReferenceCountUtil.release(response);
            client.writeAndFlush(new DefaultFullHttpResponse(response.protocolVersion(), response.status(),
                    Unpooled.EMPTY_BUFFER, response.headers(), EmptyHttpHeaders.INSTANCE));
            ex.upstream.read();
            return;
        }
        boolean bodyless = exchange.request().method().equals(HttpMethod.HEAD) || code == 204 || code == 304;
        ResponseFraming framing = ResponseFraming.apply(response, upstreamKeepAlive, bodyless, clientHttp10, clientKeepAlive,
                ex.closeClient);
        ex.closeClient = framing.closeClient();
        ex.reusable &= framing.upstreamReusable();
        started = true;
        exchange.status(code);
        writeAndReadOn(response);
    }

    /** Writes toward the client and reads on from the upstream while the client keeps up (else flushes and waits). */
    private void writeAndReadOn(Object message) {
        client.write(message);
        if (client.channel().isWritable()) {
            ex.upstream.read();
        } else {
            client.flush();
        }
    }

    void onResponseContent(HttpContent content) {
        if (ex.finished) {
            content.release();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (informational) {
            content.release(); // an informational response has no body; its head went out whole
            if (last) {
                informational = false;
                if (ex.bodyComplete) {
                    startTimeout();
                }
            }
            ex.upstream.read();
            return;
        }
        if (!started) {
            content.release();
            return;
        }
        if (proxy.stages().seesResponseContent()) {
            try {
                content = proxy.stages().onResponseContent(exchange, content);
            } catch (StageFailure e) {
                // Part of the response is out: never send bytes a stage did not process; cut the client off.
                ex.reusable = false;
                ex.closeClient = true;
                if (exchange.reason() == null) {
                    exchange.reason("a response stage failed; connection closed");
                }
                client.flush();
                ex.finish();
                return;
            }
        }
        exchange.addBytesDown(content.content().readableBytes());
        if (last) {
            complete = true;
            client.writeAndFlush(content);
            if (!ex.bodyComplete) {
                // The upstream answered before the request's end was sent: that connection cannot
                // carry another request, and a client still sending a body is cut off.
                ex.reusable = false;
                ex.closeClient = ex.closeClient || expectsBody;
            }
            ex.finish();
            return;
        }
        writeAndReadOn(content);
    }

    /** Answers the client with the daemon's own error; nothing of an upstream response was sent yet. */
    void fail(UpstreamFailure failure) {
        failure.recordOn(exchange, proxy.metrics());
        ex.reusable = false;
        exchange.secretNames().clear();
        // Keep the client connection unless a request body is still on its way (the empty end of
        // a bodiless request may simply not have been read yet; ForwardHandler drops it).
        ex.closeClient = ex.closeClient || !clientKeepAlive || (!ex.bodyComplete && expectsBody);
        answered();
        client.writeAndFlush(ErrorResponses.of(failure.status(), failure.reason(), failure.proxyStatus(), !ex.closeClient));
        ex.finish();
    }

    /**
     * The client's body cannot be decoded: 400 while nothing of the response is out, else the client is cut off. The
     * upstream connection closes with what it got, never with the request's end (it must not take it as complete).
     */
    void requestMalformed() {
        ex.reusable = false; // ex.finish() closes the upstream connection
        ex.closeClient = true;
        ex.bodyComplete = true;
        if (!started) {
            fail(UpstreamFailure.malformedBody());
            return;
        }
        exchange.reason("malformed request body; connection closed");
        proxy.metrics().error(ProxyError.BAD_REQUEST);
        client.flush();
        ex.finish();
    }

    /** The upstream's time to answer starts (the request has ended). */
    void startTimeout() {
        timeout.start();
    }

    void cancelTimeout() {
        timeout.cancel();
    }
}
