package io.credproxy.daemon.server;

import io.credproxy.daemon.limits.IdleTimeout;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The upstream's {@code upstream.response_timeout_ms} from the request's end to its response head
 * (504). Meanwhile the client's silence is not idleness, so the client's idle timeout is suspended
 * until the head arrives or the time is up. Runs on the client's event loop.
 */
final class ResponseTimeout {
    private final ChannelHandlerContext client;
    private final int millis;
    private final Runnable onExpiry;
    private ScheduledFuture<?> timer;

    /** @param onExpiry called on the client's event loop when the time is up (the exchange decides whether it still matters) */
    ResponseTimeout(ChannelHandlerContext client, int millis, Runnable onExpiry) {
        this.client = client;
        this.millis = millis;
        this.onExpiry = onExpiry;
    }

    int millis() {
        return millis;
    }

    void start() {
        if (timer != null) {
            return;
        }
        IdleTimeout.suspend(client.pipeline(), true);
        timer = client.channel().eventLoop().schedule(() -> {
            timer = null;
            IdleTimeout.suspend(client.pipeline(), false);
            onExpiry.run();
        }, millis, TimeUnit.MILLISECONDS);
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
            IdleTimeout.suspend(client.pipeline(), false);
        }
    }
}
