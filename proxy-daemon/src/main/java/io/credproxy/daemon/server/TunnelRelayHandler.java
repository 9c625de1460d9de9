package io.credproxy.daemon.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays raw bytes from its channel to a peer channel: one half of an opaque tunnel, for a
 * CONNECT to a host without a rule. Nothing is decrypted or inspected.
 *
 * <p>Both channels have {@code AUTO_READ} off. After passing on a read, the handler reads again
 * only if the peer can take more; when the peer's buffer drains, the peer's own relay handler
 * asks this side to read (the pattern of Netty's proxy examples), so memory stays bounded
 * however fast one side sends.
 */
public final class TunnelRelayHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelRelayHandler.class);

    private final Channel peer;
    private final TunnelAccounting accounting;
    private final boolean fromClient;

    /**
     * @param peer where bytes read on this handler's channel go
     * @param accounting counts bytes and records the tunnel when both sides are closed
     * @param fromClient whether this handler sits on the client's channel
     */
    TunnelRelayHandler(Channel peer, TunnelAccounting accounting, boolean fromClient) {
        this.peer = peer;
        this.accounting = accounting;
        this.fromClient = fromClient;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        accounting.add(fromClient, buf.readableBytes());
        if (!peer.isActive()) {
            buf.release();
            return;
        }
        peer.writeAndFlush(buf).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                ctx.close();
                f.channel().close();
            }
        });
        if (peer.isWritable()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        accounting.sideClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("tunnel to {} failed on the {} side: {}", accounting.target(), fromClient ? "client" : "upstream",
                cause.getClass().getName());
        ctx.close();
    }
}
