package io.credproxy.daemon.admin;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection after a refusal written while the client may still be sending its body.
 *
 * <p>Why not just close: the kernel answers the body bytes that keep arriving at a closed socket with
 * a reset, and a client still writing its body fails on that write: the JDK's HttpClient reports a
 * broken pipe and never reads the 413 it was sent (AdminIT saw it). As web servers do
 * (nginx's lingering close), the refusal is followed by a half-close (FIN after it), the rest of the
 * input is read and thrown away, and the connection is closed when the client closes its side or
 * after {@link #LINGER_MILLIS}, whichever comes first: bounded, so a client that never stops sending
 * holds the connection no longer than that. The caller drops everything read after the refusal.
 */
final class LingeringClose {
    static final long LINGER_MILLIS = 2_000;

    private LingeringClose() {}

    /** Run once the refusal is written: FIN now, close on the client's FIN or after the linger time. */
    static ChannelFutureListener after(ChannelHandlerContext ctx) {
        return written -> {
            if (!written.isSuccess() || !(ctx.channel() instanceof DuplexChannel duplex)) {
                ctx.close();
                return;
            }
            var timer = ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
            ctx.channel().closeFuture().addListener(closed -> timer.cancel(false));
            duplex.shutdownOutput().addListener(shut -> {
                if (!shut.isSuccess()) {
                    ctx.close();
                }
            });
            ctx.channel().config().setAutoRead(true);
        };
    }
}
