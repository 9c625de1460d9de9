package io.credproxy.daemon.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resets an HTTP/2 stream whose peer keeps its flow-control window shut for longer than a timeout.
 *
 * <p>A peer that never sends WINDOW_UPDATE would hold the stream, its exchange and the upstream
 * connection behind it open forever, and with {@value Http2Codecs#MAX_CONCURRENT_STREAMS} such
 * streams a whole connection's worth. Every {@link #timeoutMillis()} the stream is looked at: if it
 * had data waiting for window at the last look and still has, and neither its window nor the
 * connection's moved in between, it is stalled and gets closed (RST_STREAM CANCEL, see
 * {@link StreamResetOnClose}); the connection and its other streams go on. A slow reader that
 * opens its window now and then is never cut off, and a stream with nothing to send is never
 * judged (a gRPC call waiting for its next message is not stalled).
 */
final class StreamStallTimeout extends ChannelInboundHandlerAdapter {
    /** {@code -Dcredproxy.h2.stall_timeout_ms}: for tests; 30 s by default. */
    static final String PROPERTY = "credproxy.h2.stall_timeout_ms";
    private static final Logger LOG = LoggerFactory.getLogger(StreamStallTimeout.class);

    private final long millis = timeoutMillis();
    private ScheduledFuture<?> timer;
    private boolean waitingBefore;
    private int streamWindowBefore;
    private int connectionWindowBefore;

    static long timeoutMillis() {
        return Long.getLong(PROPERTY, 30_000L);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().scheduleAtFixedRate(() -> check(ctx), millis, millis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    private void check(ChannelHandlerContext ctx) {
        Http2FrameCodec codec = ctx.channel().parent().pipeline().get(Http2FrameCodec.class);
        Http2Stream stream = codec == null ? null : codec.connection().stream(((Http2StreamChannel) ctx.channel()).stream().id());
        if (stream == null) {
            return;
        }
        Http2Connection connection = codec.connection();
        Http2RemoteFlowController flow = connection.remote().flowController();
        boolean waiting = flow.hasFlowControlled(stream);
        int streamWindow = flow.windowSize(stream);
        int connectionWindow = flow.windowSize(connection.connectionStream());
        if (waiting && waitingBefore && streamWindow == streamWindowBefore && connectionWindow == connectionWindowBefore) {
            LOG.debug("HTTP/2 stream {} stalled: no flow-control window for {} ms; resetting it", ctx.channel(), millis);
            ctx.close();
            return;
        }
        waitingBefore = waiting;
        streamWindowBefore = streamWindow;
        connectionWindowBefore = connectionWindow;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelInactive();
    }
}
