package io.credproxy.daemon.server;

import io.credproxy.daemon.pipeline.Exchange;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A request the daemon has already answered itself (denied, malformed target, ...): its body, if
 * any, is thrown away, and the exchange is recorded when the request has been read to its end.
 *
 * <p>When the client announced a body the answer says {@code Connection: close} and the
 * connection closes at once, rather than reading a body nobody wants.
 */
final class LocalAnswer implements RequestSink {
    private final ForwardHandler owner;
    private final ProxyContext proxy;
    private final Exchange exchange;
    private final boolean close;
    private boolean bodyComplete;
    private boolean finished;

    LocalAnswer(ForwardHandler owner, ProxyContext proxy, Exchange exchange, boolean close) {
        this.owner = owner;
        this.proxy = proxy;
        this.exchange = exchange;
        this.close = close;
    }

    @Override
    public void start() {
        if (close) {
            finish();
        }
    }

    @Override
    public void onContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        content.release();
        if (last) {
            bodyComplete = true;
            finish();
        } else {
            owner.readMore();
        }
    }

    private void finish() {
        finish(close);
    }

    private void finish(boolean closeClient) {
        if (finished) {
            return;
        }
        finished = true;
        if (exchange != null) {
            proxy.stages().onComplete(exchange);
        }
        owner.exchangeFinished(this, closeClient);
    }

    @Override
    public void onMalformedContent() {
        bodyComplete = true;
        finish(true); // already answered: all that is left is to close
    }

    @Override
    public boolean bodyComplete() {
        return bodyComplete;
    }

    @Override
    public void onClientClosed() {
        finish();
    }
}
