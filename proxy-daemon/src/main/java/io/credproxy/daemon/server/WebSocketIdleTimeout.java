package io.credproxy.daemon.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Closes a relayed WebSocket connection on which nothing was read or written for a while, so that
 * a peer that went silent (or vanished without a FIN) does not hold two connections forever. Each
 * side has its own; the relay closes the other side when one closes.
 *
 * <p>(A small piece the connection-timeouts work can fold into its own idle policy.)
 */
final class WebSocketIdleTimeout extends IdleStateHandler {
    /** {@code -Dcredproxy.websocket.idle_timeout_ms}: for tests; 10 minutes by default. */
    static final String PROPERTY = "credproxy.websocket.idle_timeout_ms";

    WebSocketIdleTimeout() {
        super(0, 0, Long.getLong(PROPERTY, 600_000L), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.close();
    }
}
