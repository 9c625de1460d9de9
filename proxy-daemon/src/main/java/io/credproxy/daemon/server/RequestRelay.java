package io.credproxy.daemon.server;

import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.StageFailure;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;

/**
 * The request half of a {@link ForwardedExchange}: the head and body pieces on their way upstream,
 * each piece through the chain's {@link io.credproxy.daemon.pipeline.RequestContentHook}s, the client
 * read again only while the upstream can take more.
 *
 * <p>Pieces that arrive before the upstream connection is ready wait (at most one socket read's
 * worth, since the client is not read meanwhile). A body stage that fails ends the exchange with
 * 502 and nothing more of the body is forwarded.
 */
final class RequestRelay {
    private final ForwardedExchange ex;
    private final ForwardHandler owner;
    private final ProxyContext proxy;
    private final Exchange exchange;
    private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
    private final ChannelFutureListener writeListener;
    private boolean empty = true;

    RequestRelay(ForwardedExchange ex, ForwardHandler owner, ProxyContext proxy, Exchange exchange) {
        this.ex = ex;
        this.owner = owner;
        this.proxy = proxy;
        this.exchange = exchange;
        this.writeListener = f -> {
            if (!f.isSuccess() && f.channel() == ex.upstream) {
                ex.onUpstreamClosed(f.cause());
            }
        };
    }

    /** Whether the body (so far) had no bytes and no trailers: such a request can be replayed. */
    boolean empty() {
        return empty;
    }

    /** Writes the head and whatever body arrived to a newly acquired upstream connection. */
    void sendTo(Channel upstream, boolean replay) {
        upstream.write(exchange.request()).addListener(writeListener);
        if (replay) {
            upstream.write(LastHttpContent.EMPTY_LAST_CONTENT).addListener(writeListener);
        }
        for (HttpContent c; (c = pending.poll()) != null; ) {
            upstream.write(c).addListener(writeListener);
        }
        upstream.flush();
        if (ex.bodyComplete) {
            ex.requestSent();
        } else if (upstream.isWritable()) {
            owner.readMore();
        }
    }

    void onContent(HttpContent received) {
        boolean last = received instanceof LastHttpContent;
        if (ex.finished) {
            ex.bodyComplete |= last;
            received.release();
            return;
        }
        HttpContent content;
        try {
            content = proxy.stages().seesRequestContent() ? proxy.stages().onRequestContent(exchange, received) : received;
        } catch (StageFailure e) {
            ex.bodyComplete |= last;
            ex.stageFailed();
            return;
        }
        int size = content.content().readableBytes();
        if (size > 0 || (last && !((LastHttpContent) content).trailingHeaders().isEmpty())) {
            empty = false;
        }
        exchange.addBytesUp(size);
        if (last) {
            ex.bodyComplete = true;
        }
        Channel upstream = ex.upstream;
        if (upstream == null) {
            pending.add(content);
            return;
        }
        upstream.write(content).addListener(writeListener);
        if (last) {
            upstream.flush();
            ex.requestSent();
        } else if (upstream.isWritable()) {
            owner.readMore();
        }
    }

    /** The client's socket read is done: send what it brought upstream in one flush. */
    void onClientReadComplete() {
        if (!ex.finished && ex.upstream != null) {
            ex.upstream.flush();
        }
    }

    void onUpstreamWritabilityChanged() {
        if (!ex.finished && !ex.bodyComplete && ex.upstream != null && ex.upstream.isWritable()) {
            owner.readMore();
        }
    }

    void releasePending() {
        for (HttpContent c; (c = pending.poll()) != null; ) {
            c.release();
        }
    }
}
