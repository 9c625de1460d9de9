package io.credproxy.daemon.admin;

import io.credproxy.daemon.limits.RequestHeadGuard;
import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads an admin request's body into the heap, within a budget shared by every admin connection,
 * and passes on one {@link Received} per request; takes the place of a per-connection
 * {@code HttpObjectAggregator}.
 *
 * <p>Each body byte is reserved from the shared budget before it is kept, and copied out of the
 * network buffer at once (so no direct memory waits on a slow client). The reservation lasts until
 * the endpoint has answered ({@link Received#release}); a body that would take the admin port past
 * its budget gets 503 (the agent sends it again later), one over {@value AdminServer#MAX_BODY_BYTES}
 * bytes gets 413, and one that has not fully arrived within the request timeout of its head gets
 * 408. Each ends the connection (a 413 once the client has had it: {@link LingeringClose}).
 * Runs on the admin port's event loop.
 */
final class AdminBodies extends ChannelInboundHandlerAdapter {
    /** A whole request: its head, its body, and the budget it holds until released. */
    record Received(HttpRequest head, byte[] body, Runnable release) {}

    private final AtomicLong budgetLeft;
    private final RequestHeadGuard heads;
    private final AdminLimits limits;
    private final LimitMetrics metrics;
    private HttpRequest head;
    private ByteArrayOutputStream body;
    private long reserved;
    private ScheduledFuture<?> timer;
    private boolean refused;

    /**
     * @param budgetLeft the bytes left in the budget all admin connections share
     * @param heads the connection's head guard, told when a head arrived and when the next is awaited
     */
    AdminBodies(AtomicLong budgetLeft, RequestHeadGuard heads, AdminLimits limits, LimitMetrics metrics) {
        this.budgetLeft = budgetLeft;
        this.heads = heads;
        this.limits = limits;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg); // read after a refusal only so the connection can end cleanly
            return;
        }
        if (msg instanceof HttpRequest request) {
            heads.headReceived();
            if (head != null || request.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                refuse(ctx, 400, "bad request");
                return;
            }
            if (HttpUtil.getContentLength(request, 0L) > AdminServer.MAX_BODY_BYTES) {
                ReferenceCountUtil.release(msg);
                refuse(ctx, 413, "body too large: at most " + AdminServer.MAX_BODY_BYTES + " bytes");
                return;
            }
            head = request;
            body = new ByteArrayOutputStream();
            timer = ctx.executor().schedule(() -> timedOut(ctx), limits.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        }
        if (msg instanceof HttpContent content) {
            ByteBuf bytes = content.content();
            boolean last = content instanceof LastHttpContent;
            try {
                if (head == null) {
                    return; // the rest of a request already refused
                }
                if (content.decoderResult().isFailure()) {
                    refuse(ctx, 400, "bad request");
                    return;
                }
                int n = bytes.readableBytes();
                if (body.size() + (long) n > AdminServer.MAX_BODY_BYTES) {
                    refuse(ctx, 413, "body too large: at most " + AdminServer.MAX_BODY_BYTES + " bytes");
                    return;
                }
                if (!reserve(n)) {
                    metrics.rejected(Limit.ADMIN_BODIES);
                    refuse(ctx, 503, "busy: too many requests in flight; try again");
                    return;
                }
                bytes.readBytes(body, n);
            } catch (java.io.IOException impossible) {
                throw new IllegalStateException(impossible); // ByteArrayOutputStream does not fail
            } finally {
                content.release();
            }
            if (last) {
                complete(ctx);
            }
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    private boolean reserve(int n) {
        for (long left = budgetLeft.get(); left >= n; left = budgetLeft.get()) {
            if (budgetLeft.compareAndSet(left, left - n)) {
                reserved += n;
                return true;
            }
        }
        return false;
    }

    private void complete(ChannelHandlerContext ctx) {
        cancelTimer();
        heads.awaitHead();
        long held = reserved;
        reserved = 0;
        HttpRequest request = head;
        head = null;
        byte[] bytes = body.toByteArray();
        body = null;
        AtomicBoolean released = new AtomicBoolean();
        ctx.fireChannelRead(new Received(request, bytes, () -> {
            if (released.compareAndSet(false, true)) {
                budgetLeft.addAndGet(held);
            }
        }));
    }

    private void timedOut(ChannelHandlerContext ctx) {
        timer = null;
        if (head != null && ctx.channel().isActive()) {
            metrics.rejected(Limit.ADMIN_TIMEOUT);
            refuse(ctx, 408, "request body not received in time");
        }
    }

    private void refuse(ChannelHandlerContext ctx, int status, String reason) {
        drop();
        head = null;
        refused = true;
        // Only a 413 lingers: its client is well-behaved and still sending; the others close at once and free the slot.
        AdminHandler.send(ctx, AdminResponse.text(status, reason + "\n"), false)
                .addListener(status == 413 ? LingeringClose.after(ctx) : ChannelFutureListener.CLOSE);
    }

    private void drop() {
        cancelTimer();
        budgetLeft.addAndGet(reserved);
        reserved = 0;
        body = null;
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        drop();
        head = null;
        ctx.fireChannelInactive();
    }
}
