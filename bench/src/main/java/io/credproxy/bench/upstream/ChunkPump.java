package io.credproxy.bench.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Writes a streamed response body chunk by chunk, flushing each, then the last chunk.
 *
 * <p>With no interval it writes while the channel is writable and waits for
 * {@link #resume()} when it is not, so a slow reader bounds the memory used; with an interval it
 * writes one chunk per tick (paced server-sent events). Runs on the channel's event loop only.
 */
final class ChunkPump {
    private final ChannelHandlerContext ctx;
    private final Supplier<HttpContent> chunks;
    private final long interval;
    private final TimeUnit unit;
    private boolean finished;

    /** {@code chunks} returns null when the body is complete. */
    ChunkPump(ChannelHandlerContext ctx, Supplier<HttpContent> chunks, long interval, TimeUnit unit) {
        this.ctx = ctx;
        this.chunks = chunks;
        this.interval = interval;
        this.unit = unit;
    }

    void start() {
        if (interval > 0) {
            tick();
        } else {
            resume();
        }
    }

    private void tick() {
        if (finished || !ctx.channel().isActive()) {
            return;
        }
        if (!writeOne()) {
            return;
        }
        ctx.executor().schedule(this::tick, interval, unit);
    }

    /** Writes until the channel stops being writable or the body ends (unpaced mode). */
    void resume() {
        if (interval > 0) {
            return;
        }
        while (!finished && ctx.channel().isActive() && ctx.channel().isWritable()) {
            writeOne();
        }
    }

    private boolean writeOne() {
        HttpContent chunk = chunks.get();
        if (chunk == null) {
            finished = true;
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            return false;
        }
        ctx.writeAndFlush(chunk);
        return true;
    }
}
