package io.credproxy.daemon.server;

import io.credproxy.daemon.limits.IdleTimeout;
import io.credproxy.daemon.limits.RequestHeadGuard;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads client requests one at a time and sends each on its way: forwarded upstream, answered by
 * the daemon, or (on the proxy port) a CONNECT that turns the connection into a tunnel.
 *
 * <p>Used twice: on the proxy port, where requests are absolute-form {@code http://} URLs or
 * CONNECTs, and on the decrypted side of an intercepted tunnel, where every request goes to the
 * CONNECT target. The destination comes from the URL or the CONNECT, never from the Host header.
 *
 * <p>The channel has {@code AUTO_READ} off: the handler reads the next request only when the
 * previous exchange is over, and a request body only as fast as the upstream takes it. One
 * socket read can still hold several decoded messages (a pipelining client); messages for a
 * later request wait in a backlog, which is bounded by that one read.
 *
 * <p>It tells its {@link RequestHeadGuard} when a head is awaited and when one arrived, and suspends
 * the {@link IdleTimeout} while an exchange waits for the upstream. A body the codec cannot decode
 * ends the exchange on both sides: no end of request reaches the upstream. On
 * {@link ProxyServer.Drain} (shutdown) the connection closes once no exchange is under way.
 */
public final class ForwardHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardHandler.class);

    private final ProxyContext proxy;
    private final ClientConnection connection;
    private final RequestHeadGuard guard;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private RequestStarter starter;
    private RequestSink current;
    private boolean closing;
    private boolean detached;
    private boolean draining;

    /** @param guard this layer's head guard; {@code null} when there is none (an h2 stream, tests) */
    ForwardHandler(ProxyContext proxy, ClientConnection connection, RequestHeadGuard guard) {
        this.proxy = proxy;
        this.connection = connection;
        this.guard = guard;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.starter = new RequestStarter(this, context, proxy, connection);
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        context.read();
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (closing || detached) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (current != null && current.bodyComplete()) {
            backlog.add(msg);
            return;
        }
        dispatch(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (current != null) {
            current.onClientReadComplete();
        }
        context.fireChannelReadComplete();
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            if (guard != null) {
                guard.headReceived();
            }
            if (current != null) {
                ReferenceCountUtil.release(msg);
                closeNow();
                return;
            }
            RequestSink sink = starter.sinkFor(request);
            if (sink == null) {
                closing = true; // a malformed request was answered and the connection is closing
                return;
            }
            start(sink);
        } else if (msg instanceof HttpContent content) {
            if (content.decoderResult().isFailure()) {
                malformedContent(content);
                return;
            }
            if (current == null) {
                // The rest of a request already answered: drop it and keep reading to its end.
                boolean last = content instanceof LastHttpContent;
                content.release();
                if (!last) {
                    ctx.read();
                }
                return;
            }
            current.onContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The codec could not decode the request body: the exchange ends on both sides, and so does the connection. */
    private void malformedContent(HttpContent content) {
        Throwable cause = content.decoderResult().cause();
        content.release();
        LOG.info("client={} sent a malformed request body ({}); connection closed", connection.client(), cause.getClass().getSimpleName());
        RequestSink sink = current;
        closing = true;
        releaseBacklog();
        if (sink != null) {
            sink.onMalformedContent(); // answers if it still can, and ends the exchange
        } else {
            closeNow();
        }
    }

    private void start(RequestSink sink) {
        current = sink;
        sink.start();
    }

    /** The sink asks for more of the request body (invariant: the backlog is empty while a body is incomplete). */
    void readMore() {
        if (!closing && !detached) {
            ctx.read();
        }
    }

    /** A request is over; go on with the next one, or close. */
    void exchangeFinished(RequestSink sink, boolean close) {
        if (current != sink) {
            return;
        }
        current = null;
        if (close || closing || draining) {
            closeNow();
            return;
        }
        if (guard != null) {
            guard.awaitHead();
        }
        while (!backlog.isEmpty() && (current == null || !current.bodyComplete()) && !closing && !detached) {
            dispatch(backlog.poll());
        }
        if (current == null && !closing && !detached) {
            ctx.read();
        }
    }

    /** The connection stops being HTTP (a tunnel): this handler leaves; {@code false} if the client sent data too early. */
    boolean detach() {
        detached = true;
        current = null;
        boolean clean = backlog.isEmpty();
        releaseBacklog();
        return clean;
    }

    private void closeNow() {
        closing = true;
        releaseBacklog();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void releaseBacklog() {
        for (Object msg; (msg = backlog.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (current != null) {
            current.onClientWritabilityChanged();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        closing = true;
        RequestSink sink = current;
        current = null;
        releaseBacklog();
        if (sink != null) {
            sink.onClientClosed();
        }
        context.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt == ProxyServer.Drain.INSTANCE) {
            drain();
        } else if (evt instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
            // The handshake of an intercepted tunnel is done and this handler was just installed for HTTP/1.1.
            context.read();
        }
        context.fireUserEventTriggered(evt);
    }

    /** Shutdown: close now if idle, else once the exchange under way is over (its response says so if it can). */
    private void drain() {
        if (detached || closing) {
            return;
        }
        draining = true;
        if (current == null) {
            closeNow();
        } else {
            current.drain();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        // Never log the message: a decoder or TLS exception can quote the bytes it choked on.
        LOG.debug("client connection {} failed: {}", connection.client(), cause.getClass().getName());
        closing = true;
        context.close();
    }
}
