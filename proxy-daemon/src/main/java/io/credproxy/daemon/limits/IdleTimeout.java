package io.credproxy.daemon.limits;

import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has had no traffic either way (no read, no completed write) for a
 * while: Netty's {@link IdleStateHandler} on "all idle", acting on its event itself.
 *
 * <p>Sits first in a client pipeline, so it sees the raw bytes. A stalled client (it stops sending
 * a body, or stops reading a response) is idle; a client waiting for an upstream's answer is not its
 * own fault, so the handler can be {@link #suspend suspended} while the exchange waits for the
 * response head (the upstream's {@code response_timeout_ms} governs then). Reusable for any relay
 * (WebSocket, h2) with {@link #install}/{@link #replace}.
 */
public final class IdleTimeout extends IdleStateHandler {
    public static final String NAME = "idle";

    private final Limit limit;
    private final LimitMetrics metrics;
    private boolean suspended;

    /**
     * @param millis how long without traffic
     * @param limit what a close counts as ({@link Limit#IDLE_TIMEOUT}, {@link Limit#TUNNEL_IDLE_TIMEOUT}, ...)
     */
    public IdleTimeout(long millis, Limit limit, LimitMetrics metrics) {
        super(0, 0, millis, TimeUnit.MILLISECONDS);
        this.limit = limit;
        this.metrics = metrics;
    }

    /** Adds an idle timeout first in {@code pipeline}, under {@value #NAME}. */
    public static void install(ChannelPipeline pipeline, long millis, Limit limit, LimitMetrics metrics) {
        pipeline.addFirst(NAME, new IdleTimeout(millis, limit, metrics));
    }

    /** Replaces the pipeline's idle timeout (say, a connection that became a tunnel); adds one if there was none. */
    public static void replace(ChannelPipeline pipeline, long millis, Limit limit, LimitMetrics metrics) {
        IdleTimeout fresh = new IdleTimeout(millis, limit, metrics);
        if (pipeline.get(NAME) instanceof IdleTimeout) {
            pipeline.replace(NAME, NAME, fresh);
        } else {
            pipeline.addFirst(NAME, fresh);
        }
    }

    /** Suspends or resumes the idle timeout of {@code pipeline}, if it has one (call on its event loop). */
    public static void suspend(ChannelPipeline pipeline, boolean suspend) {
        if (pipeline.get(NAME) instanceof IdleTimeout idle) {
            idle.suspend(suspend);
        }
    }

    /** While suspended, idleness is not held against the connection (call on its event loop). */
    public void suspend(boolean suspend) {
        this.suspended = suspend;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (suspended || !ctx.channel().isActive()) {
            return;
        }
        metrics.rejected(limit);
        ctx.close();
    }
}
