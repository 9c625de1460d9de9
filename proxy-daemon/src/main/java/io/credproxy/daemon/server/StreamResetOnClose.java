package io.credproxy.daemon.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * Resets an HTTP/2 stream that the daemon closes before both sides ended it.
 *
 * <p>Netty's stream channel sends RST_STREAM on close only while the peer's side is still open; once
 * the peer ended its side (a GET, a request whose body is in), closing the channel sends nothing,
 * and the peer would wait for the rest of a response that never comes (the upstream failed
 * mid-response, a stalled stream was cut off). So every close of an unfinished stream says
 * CANCEL first.
 */
final class StreamResetOnClose extends ChannelOutboundHandlerAdapter {
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (ctx.channel() instanceof Http2StreamChannel stream && ctx.channel().parent().isActive()) {
            Http2Stream.State state = stream.stream().state();
            if (state != null && state != Http2Stream.State.CLOSED && state != Http2Stream.State.IDLE) {
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
            }
        }
        ctx.close(promise);
    }
}
