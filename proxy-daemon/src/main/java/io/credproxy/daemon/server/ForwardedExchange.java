package io.credproxy.daemon.server;

import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.HopByHopHeaders;
import io.credproxy.daemon.secrets.Redactor;
import io.credproxy.protocol.report.Decision;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One request forwarded upstream and its response relayed back, both streamed.
 *
 * <p>The request head goes out once the upstream connection is ready (TLS verified); body pieces
 * follow as they arrive, and the client is read again only while the upstream can take more. The
 * response flows the other way under the same rule. Nothing is buffered whole: memory per
 * exchange is bounded by one socket read on each side plus the channels' write buffers.
 *
 * <p>The upstream has {@code upstream.response_timeout_ms} after the request's end to send its
 * response head (504 otherwise). Failures before the response starts become a short 502/504;
 * after it started, the client connection is closed, since the status is already out. A request
 * without a body that meets a pooled connection the server had just closed is sent once more on a
 * new connection. All callbacks run on the client's event loop, which the upstream channel shares.
 */
final class ForwardedExchange implements RequestSink, UpstreamListener {
    private final ForwardHandler owner;
    private final ChannelHandlerContext client;
    private final ProxyContext proxy;
    private final Exchange exchange;
    private final UpstreamKey key;
    private final boolean clientKeepAlive;
    private final boolean clientHttp10;
    private final boolean expectsBody;
    private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
    private final ChannelFutureListener writeListener = f -> {
        if (!f.isSuccess() && f.channel() == this.upstream) {
            onUpstreamClosed(f.cause());
        }
    };

    private Channel upstream;
    private ScheduledFuture<?> timeout;
    private boolean bodyComplete;
    private boolean emptyBody = true;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean informational;
    private boolean finished;
    private boolean reusable = true;
    private boolean closeClient;
    private boolean retried;

    ForwardedExchange(ForwardHandler owner, ChannelHandlerContext client, ProxyContext proxy, Exchange exchange,
            UpstreamKey key, boolean clientKeepAlive, boolean clientHttp10, boolean expectsBody) {
        this.owner = owner;
        this.client = client;
        this.proxy = proxy;
        this.exchange = exchange;
        this.key = key;
        this.clientKeepAlive = clientKeepAlive;
        this.clientHttp10 = clientHttp10;
        this.expectsBody = expectsBody;
    }

    @Override
    public void start() {
        acquire(true);
    }

    private void acquire(boolean pooledAllowed) {
        proxy.upstreams().acquire(key, client.channel().eventLoop(), pooledAllowed).addListener(this::onAcquired);
    }

    private void onAcquired(Future<? super Channel> f) {
        if (finished) {
            if (f.isSuccess()) {
                proxy.upstreams().release((Channel) f.getNow());
            }
            return;
        }
        if (!f.isSuccess()) {
            fail(UpstreamFailure.classify(f.cause(), key.destination(), proxy.connectTimeoutMillis()));
            return;
        }
        upstream = (Channel) f.getNow();
        UpstreamHandler handler = UpstreamHandler.of(upstream);
        if (handler == null || !upstream.isActive()) {
            onUpstreamClosed(null);
            return;
        }
        handler.attach(this);
        upstream.write(exchange.request()).addListener(writeListener);
        if (retried) {
            upstream.write(LastHttpContent.EMPTY_LAST_CONTENT).addListener(writeListener);
        }
        for (HttpContent c; (c = pending.poll()) != null; ) {
            upstream.write(c).addListener(writeListener);
        }
        upstream.flush();
        if (bodyComplete) {
            requestSent();
        } else if (upstream.isWritable()) {
            owner.readMore();
        }
        upstream.read();
    }

    @Override
    public void onContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        int size = content.content().readableBytes();
        if (size > 0 || (last && !((LastHttpContent) content).trailingHeaders().isEmpty())) {
            emptyBody = false;
        }
        exchange.addBytesUp(size);
        if (last) {
            bodyComplete = true;
        }
        if (finished) {
            content.release();
            return;
        }
        if (upstream == null) {
            pending.add(content);
            return;
        }
        upstream.write(content).addListener(writeListener);
        if (last) {
            upstream.flush();
            requestSent();
        } else if (upstream.isWritable()) {
            owner.readMore();
        }
    }

    /** The client's socket read is done: send what it brought upstream in one flush. */
    void onClientReadComplete() {
        if (!finished && upstream != null) {
            upstream.flush();
        }
    }

    private void requestSent() {
        if (!responseStarted && !finished) {
            startTimeout();
        }
    }

    @Override
    public boolean bodyComplete() {
        return bodyComplete;
    }

    @Override
    public void onUpstreamWritabilityChanged() {
        if (!finished && !bodyComplete && upstream != null && upstream.isWritable()) {
            owner.readMore();
        }
    }

    @Override
    public void onClientWritabilityChanged() {
        if (!finished && responseStarted && !responseComplete && upstream != null && client.channel().isWritable()) {
            upstream.read();
        }
    }

    @Override
    public void onResponseHead(HttpResponse response) {
        if (finished) {
            return;
        }
        cancelTimeout();
        int code = response.status().code();
        if (code == 101) {
            fail(new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "http_protocol_error",
                    "upstream switched protocols, which the daemon does not relay"));
            return;
        }
        HttpHeaders headers = response.headers();
        if (code >= 100 && code < 200) {
            // 100 Continue, 103 Early Hints: pass on, then wait for the final response.
            informational = true;
            HopByHopHeaders.strip(headers);
            redact(headers);
            client.write(response);
            upstream.read();
            return;
        }
        boolean upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        HopByHopHeaders.strip(headers);
        redact(headers);
        if (!upstreamKeepAlive) {
            reusable = false;
        }
        boolean bodyless = exchange.request().method().equals(HttpMethod.HEAD) || code == 204 || code == 304;
        if (!bodyless && !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)) {
            // The body ends when the upstream closes: re-frame it as chunked for an HTTP/1.1
            // client so its connection can stay open; an HTTP/1.0 client reads until close.
            reusable = false;
            if (clientHttp10) {
                closeClient = true;
            } else {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        }
        if (clientHttp10 && HttpUtil.isTransferEncodingChunked(response)) {
            // HTTP/1.0 has no chunked coding: send the body as it comes and end it by closing.
            HttpUtil.setTransferEncodingChunked(response, false);
            closeClient = true;
        }
        if (!clientKeepAlive) {
            closeClient = true;
        }
        if (closeClient) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        responseStarted = true;
        exchange.status(code);
        client.write(response);
        if (client.channel().isWritable()) {
            upstream.read();
        } else {
            client.flush();
        }
    }

    @Override
    public void onResponseContent(HttpContent content) {
        if (finished) {
            content.release();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (informational) {
            client.writeAndFlush(content);
            if (last) {
                informational = false;
                if (bodyComplete) {
                    startTimeout();
                }
            }
            upstream.read();
            return;
        }
        if (!responseStarted) {
            content.release();
            return;
        }
        exchange.addBytesDown(content.content().readableBytes());
        if (last) {
            responseComplete = true;
            client.writeAndFlush(content);
            if (!bodyComplete) {
                // The upstream answered before the request's end was sent: that connection cannot
                // carry another request, and a client still sending a body is cut off.
                reusable = false;
                closeClient = closeClient || expectsBody;
            }
            finish();
            return;
        }
        client.write(content);
        if (client.channel().isWritable()) {
            upstream.read();
        } else {
            client.flush();
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        if (!finished) {
            client.flush();
        }
    }

    @Override
    public void onUpstreamClosed(Throwable cause) {
        if (finished) {
            return;
        }
        boolean replayable = !retried && !responseStarted && !informational && bodyComplete && emptyBody
                && upstream != null && proxy.upstreams().wasPooled(upstream)
                && !(cause instanceof UpstreamHandler.MalformedResponseException)
                && (cause == null || cause instanceof IOException);
        if (replayable) {
            // A pooled connection the server closed while idle: the request never reached it.
            retried = true;
            cancelTimeout();
            detachUpstream();
            upstream.close();
            upstream = null;
            acquire(false);
            return;
        }
        reusable = false;
        if (!responseStarted) {
            fail(UpstreamFailure.classify(cause, key.destination(), proxy.connectTimeoutMillis()));
            return;
        }
        exchange.reason("upstream closed the connection mid-response");
        proxy.metrics().error(ProxyError.UPSTREAM_RESPONSE);
        closeClient = true;
        client.flush();
        finish();
    }

    @Override
    public void onClientClosed() {
        if (finished) {
            return;
        }
        reusable = false;
        closeClient = true;
        if (exchange.reason() == null) {
            exchange.reason("client closed the connection");
        }
        finish();
    }

    /** Answers the client with the daemon's own error; nothing of an upstream response was sent yet. */
    private void fail(UpstreamFailure failure) {
        proxy.metrics().error(failure.kind());
        reusable = false;
        exchange.decision(Decision.ERROR);
        exchange.secretNames().clear();
        exchange.reason(failure.reason());
        exchange.status(failure.status().code());
        // Keep the client connection unless a request body is still on its way (the empty end of
        // a bodiless request may simply not have been read yet; ForwardHandler drops it).
        closeClient = closeClient || !clientKeepAlive || (!bodyComplete && expectsBody);
        responseStarted = true;
        responseComplete = true;
        client.writeAndFlush(ErrorResponses.of(failure.status(), failure.reason(), failure.proxyStatus(), !closeClient));
        finish();
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimeout();
        for (HttpContent c; (c = pending.poll()) != null; ) {
            c.release();
        }
        if (upstream != null) {
            detachUpstream();
            if (reusable && bodyComplete && responseComplete && upstream.isActive()) {
                proxy.upstreams().release(upstream);
            } else {
                upstream.close();
            }
        }
        proxy.stages().onComplete(exchange);
        owner.exchangeFinished(this, closeClient);
    }

    private void detachUpstream() {
        UpstreamHandler handler = UpstreamHandler.of(upstream);
        if (handler != null) {
            handler.detach();
        }
    }

    private void startTimeout() {
        if (timeout != null) {
            return;
        }
        int millis = proxy.responseTimeoutMillis();
        timeout = client.channel().eventLoop().schedule(() -> {
            timeout = null;
            if (!finished && !responseStarted) {
                fail(UpstreamFailure.responseTimeout(millis));
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    /**
     * Removes secret values from response header values: an upstream that echoes a request header
     * (a debug endpoint, an error message quoting the token) must not hand the credential to the
     * client the daemon keeps it from. Bodies are relayed as they are (see the README's security model).
     */
    private void redact(HttpHeaders headers) {
        if (exchange.decision() != Decision.INJECTED) {
            return;
        }
        Redactor redactor = exchange.policy().redactor();
        List<String> names = null;
        for (Map.Entry<String, String> e : headers) {
            if (redactor.redact(e.getValue()) != e.getValue()) {
                if (names == null) {
                    names = new ArrayList<>();
                }
                names.add(e.getKey());
            }
        }
        if (names != null) {
            for (String name : names) {
                List<String> values = new ArrayList<>();
                for (String v : headers.getAll(name)) {
                    values.add(redactor.redact(v));
                }
                headers.set(name, values);
            }
        }
    }
}
