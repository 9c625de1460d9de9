package io.credproxy.daemon.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP/2 stream whose peer keeps its flow-control window shut for longer than a timeout.
 *
 * <p>A stream channel turns unwritable when the peer's window for it (or the connection's) is used
 * up; a peer that never sends WINDOW_UPDATE would hold the stream, its exchange and the upstream
 * connection behind it open forever, and with {@value Http2Codecs#MAX_CONCURRENT_STREAMS} such
 * streams a whole connection's worth. After {@link #timeoutMillis()} unwritable, the stream is
 * reset (closing a stream channel sends RST_STREAM); the connection and its other streams go on. A
 * slow reader that opens its window now and then is never cut off.
 */
final class StreamStallTimeout extends ChannelInboundHandlerAdapter {
    /** {@code -Dcredproxy.h2.stall_timeout_ms}: for tests; 30 s by default. */
    static final String PROPERTY = "credproxy.h2.stall_timeout_ms";
    private static final Logger LOG = LoggerFactory.getLogger(StreamStallTimeout.class);

    private final long millis = timeoutMillis();
    private ScheduledFuture<?> timer;

    static long timeoutMillis() {
        return Long.getLong(PROPERTY, 30_000L);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            cancel();
        } else if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                timer = null;
                if (!ctx.channel().isWritable()) {
                    LOG.debug("HTTP/2 stream {} stalled: flow-control window shut for {} ms; resetting it", ctx.channel(), millis);
                    ctx.close();
                }
            }, millis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
