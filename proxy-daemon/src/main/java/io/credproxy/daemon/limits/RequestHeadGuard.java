package io.credproxy.daemon.limits;

import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Holds a client to {@code limits.header_timeout_ms} and {@code limits.max_buffered_head_bytes}
 * while it sends a request head; sits just before the HTTP codec (after TLS, inside a tunnel).
 *
 * <p>The request handler says when it waits for a head ({@link #awaitHead}) and when the head is
 * complete ({@link #headReceived}). In between, the first byte starts the header timer (the whole
 * head must arrive in time, however it trickles: a head sent a byte a second is cut off here, long
 * before the idle timeout would notice), and every byte counts against the shared
 * {@link HeadBudget}. On time-out the client gets 408 (if it sent anything) and the connection
 * closes; a head evicted from the budget gets 503. The answers are written as raw bytes, since this
 * handler sits below the codec. Everything but {@link #evict} runs on the channel's event loop.
 */
public final class RequestHeadGuard extends ChannelInboundHandlerAdapter {
    private static final byte[] TIMEOUT = answer("408 Request Timeout", "request head not received in time");
    private static final byte[] BUSY = answer("503 Service Unavailable", "too many partial requests; try again");

    private final long timeoutMillis;
    private final Limit timeoutLimit;
    private final HeadBudget budget;
    private final long maxHeadBytes;
    private final LimitMetrics metrics;
    private ChannelHandlerContext ctx;
    private boolean awaiting = true;
    private boolean received;
    private long counted;
    private ScheduledFuture<?> timer;

    /**
     * @param timeoutLimit what a time-out counts as ({@link Limit#HEADER_TIMEOUT}, {@link Limit#ADMIN_TIMEOUT})
     * @param maxHeadBytes the most a head can hold before the codec refuses it: bytes read past that
     *     (the body behind a head, in the same read) are not counted
     */
    public RequestHeadGuard(long timeoutMillis, Limit timeoutLimit, HeadBudget budget, long maxHeadBytes, LimitMetrics metrics) {
        this.timeoutMillis = timeoutMillis;
        this.timeoutLimit = timeoutLimit;
        this.budget = budget;
        this.maxHeadBytes = maxHeadBytes;
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    /** The next request's head is awaited; its timer starts with its first byte. */
    public void awaitHead() {
        awaiting = true;
        received = false;
        counted = 0;
    }

    /**
     * The head is awaited and its timer starts now: inside an intercepted tunnel, the TLS handshake
     * and the first head share the one deadline.
     */
    public void awaitHeadFromNow() {
        awaitHead();
        startTimer();
    }

    /** The head is complete: the timer stops and its bytes leave the budget. */
    public void headReceived() {
        awaiting = false;
        stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (awaiting && msg instanceof ByteBuf buf && buf.isReadable()) {
            received = true;
            startTimer();
            long n = Math.min(buf.readableBytes(), maxHeadBytes - counted);
            if (n > 0) {
                counted += n;
                budget.add(this, n);
            }
        }
        context.fireChannelRead(msg);
    }

    private void startTimer() {
        if (timer == null) {
            timer = ctx.executor().schedule(this::timedOut, timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void timedOut() {
        timer = null;
        if (awaiting && ctx.channel().isActive()) {
            metrics.rejected(timeoutLimit);
            refuse(received ? TIMEOUT : null);
        }
    }

    /** The budget chose this head to make room (any thread). */
    void evict() {
        ctx.executor().execute(() -> {
            if (awaiting && ctx.channel().isActive()) {
                refuse(BUSY);
            }
        });
    }

    private void refuse(byte[] answer) {
        awaiting = false;
        stop();
        if (answer == null) {
            ctx.close();
        } else {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        budget.release(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        stop();
        context.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        stop();
    }

    private static byte[] answer(String status, String reason) {
        String body = "credproxy: " + reason + "\n";
        return ("HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }
}
