package io.credproxy.daemon.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler on an upstream HTTP connection (or on one stream of an h2 connection): passes
 * what arrives to the exchange the connection currently serves.
 *
 * <p>While the connection is idle in the pool there is no listener: anything the server sends
 * then is a protocol error and closes the connection, and an idle timeout closes it too.
 */
public final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "upstream";
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamHandler.class);

    private UpstreamListener listener;

    static UpstreamHandler of(Channel channel) {
        return channel.pipeline().get(UpstreamHandler.class);
    }

    void attach(UpstreamListener l) {
        this.listener = l;
    }

    void detach() {
        this.listener = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener l = listener;
        if (l == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        } else if (msg instanceof DecoderResultProvider decoded && decoded.decoderResult().isFailure()) {
            // The decoder reports a malformed response as a message; nothing of it is forwarded.
            ReferenceCountUtil.release(msg);
            listener = null;
            ctx.close();
            l.onUpstreamClosed(new MalformedResponseException(decoded.decoderResult().cause()));
        } else if (msg instanceof HttpResponse response && !(msg instanceof HttpContent)) {
            l.onResponseHead(response);
        } else if (msg instanceof HttpContent content && !(msg instanceof HttpResponse)) {
            l.onResponseContent(content);
        } else {
            ReferenceCountUtil.release(msg);
            listener = null;
            ctx.close();
            l.onUpstreamClosed(new MalformedResponseException(null));
        }
    }

    /** An h2 upstream reset the stream (RST_STREAM); like a closed connection, the request may not have been seen. */
    static final class StreamResetException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        StreamResetException(long errorCode) {
            super("upstream reset the stream (HTTP/2 error code " + errorCode + ")");
        }
    }

    /** The upstream sent something that is not a valid HTTP/1.1 response. */
    static final class MalformedResponseException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        MalformedResponseException(Throwable cause) {
            super("malformed upstream response", cause);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.onUpstreamWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        listener = null;
        if (l != null) {
            l.onUpstreamClosed(null);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        UpstreamListener l = listener;
        listener = null;
        LOG.debug("upstream connection {} failed: {}", ctx.channel().remoteAddress(), cause.getClass().getName());
        ctx.close();
        if (l != null) {
            l.onUpstreamClosed(cause);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && listener == null) {
            ctx.close();
            return;
        }
        if (evt instanceof Http2ResetFrame reset) {
            // An h2 upstream reset this exchange's stream (the channel closes right after).
            UpstreamListener l = listener;
            listener = null;
            if (l != null) {
                l.onUpstreamClosed(new StreamResetException(reset.errorCode()));
            }
            return;
        }
        ReferenceCountUtil.release(evt);
    }
}
