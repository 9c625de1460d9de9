package io.credproxy.daemon.server;

import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.StageResult;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One request forwarded upstream and its response relayed back ({@link ResponseRelay}), both
 * streamed, each body piece through the chain's content hooks.
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
final class ForwardedExchange implements RequestSink, UpstreamListener, UpstreamAddressCheck {
    private final ForwardHandler owner;
    private final ChannelHandlerContext client;
    private final ProxyContext proxy;
    private final Exchange exchange;
    private final UpstreamKey key;
    private final RequestRelay request;
    private final ResponseRelay response;

    // Read and set by the two relays too (same exchange, same event loop).
    Channel upstream;
    boolean bodyComplete;
    boolean finished;
    boolean reusable = true;
    boolean closeClient;
    private boolean retried;

    ForwardedExchange(ForwardHandler owner, ChannelHandlerContext client, ProxyContext proxy, Exchange exchange,
            UpstreamKey key, boolean clientKeepAlive, boolean clientHttp10, boolean expectsBody) {
        this.owner = owner;
        this.client = client;
        this.proxy = proxy;
        this.exchange = exchange;
        this.key = key;
        this.request = new RequestRelay(this, owner, proxy, exchange);
        this.response = new ResponseRelay(this, client, proxy, exchange, clientKeepAlive, clientHttp10, expectsBody);
    }

    @Override
    public void start() {
        acquire(true);
    }

    private void acquire(boolean pooledAllowed) {
        UpstreamAddressCheck check = proxy.stages().judgesUpstreamAddresses() ? this : UpstreamAddressCheck.ANY;
        (WebSocketUpgrade.requested(exchange) ? proxy.upstreams().acquireHttp11(key, client.channel().eventLoop(), check)
                : proxy.upstreams().acquire(key, client.channel().eventLoop(), pooledAllowed, check)).addListener(this::onAcquired);
    }

    /** The chain judges the upstream address this exchange is about to use. */
    @Override
    public StageResult check(InetSocketAddress address) {
        return proxy.stages().onUpstreamAddress(exchange.target(), address);
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
        request.sendTo(upstream, retried);
        upstream.read();
    }

    ForwardHandler owner() {
        return owner;
    }

    @Override
    public void onContent(HttpContent content) {
        request.onContent(content);
    }

    @Override
    public void onClientReadComplete() {
        request.onClientReadComplete();
    }

    /** The request's end went upstream: the response timeout starts. */
    void requestSent() {
        if (!response.started() && !finished) {
            response.startTimeout();
        }
    }

    @Override
    public boolean bodyComplete() {
        return bodyComplete;
    }

    @Override
    public void onUpstreamWritabilityChanged() {
        request.onUpstreamWritabilityChanged();
    }

    @Override
    public void onClientWritabilityChanged() {
        response.onClientWritabilityChanged();
    }

    @Override
    public void onResponseHead(HttpResponse head) {
        response.onResponseHead(head);
    }

    @Override
    public void onResponseContent(HttpContent content) {
        response.onResponseContent(content);
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
        boolean replayable = !retried && !response.started() && !response.informational() && bodyComplete && request.empty()
                && upstream != null && proxy.upstreams().wasPooled(upstream)
                && !(cause instanceof UpstreamHandler.MalformedResponseException)
                && (cause == null || cause instanceof IOException);
        if (replayable) {
            // A pooled connection the server closed while idle: the request never reached it.
            retried = true;
            response.cancelTimeout();
            detachUpstream();
            upstream.close();
            upstream = null;
            acquire(false);
            return;
        }
        reusable = false;
        if (!response.started()) {
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

    @Override
    public void onMalformedContent() {
        if (!finished) {
            response.requestMalformed();
        }
    }

    @Override
    public void drain() {
        closeClient = true; // ResponseFraming adds Connection: close if the head has not gone out yet
    }

    /** A request or response-head stage failed: 502, nothing of what it held is forwarded. */
    void stageFailed() {
        fail(new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "proxy_internal_error", "internal error, request not forwarded"));
    }

    /** Answers the client with the daemon's own error; nothing of an upstream response was sent yet. */
    void fail(UpstreamFailure failure) {
        response.fail(failure);
    }

    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        response.cancelTimeout();
        request.releasePending();
        if (upstream != null) {
            detachUpstream();
            if (reusable && bodyComplete && response.complete() && upstream.isActive()) {
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
}
