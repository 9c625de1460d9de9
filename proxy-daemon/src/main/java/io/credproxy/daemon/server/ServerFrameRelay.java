package io.credproxy.daemon.server;

import io.credproxy.daemon.redaction.RedactionPatterns;
import io.credproxy.daemon.secrets.Redactor;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a WebSocket server's messages to the client with every secret value taken out: a hostile
 * or echoing server could otherwise reflect the credential the daemon put on the handshake into a
 * message, and hand it to the workload the daemon keeps it from.
 *
 * <p>Two passes, as a response body gets: the rule's {@link RedactionPatterns} (every spelling of
 * the secrets put on the handshake that {@code SecretForms} knows: percent-encoded every way,
 * Base64 at every alignment, JSON- and HTML-escaped), which an echoing server could be asked for,
 * then the policy's {@link Redactor} (every secret, raw, URL-encoded and Base64). Messages arrive
 * whole (Netty's frame decoder and aggregator sit in front, continuation frames joined), so a
 * secret split across frames is still found. Both passes run on the message's bytes (ISO-8859-1,
 * one char per byte, so an ASCII or UTF-8 secret matches byte for byte), except that the policy's
 * pass reads a text message as text (its values are characters); a close frame's reason too. The
 * client's own frames go the other way as raw bytes ({@link TunnelRelayHandler}).
 * Back-pressure as in the tunnel: the server is read only while the client can take more.
 */
final class ServerFrameRelay extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ServerFrameRelay.class);

    private final Channel client;
    private final TunnelAccounting accounting;
    private final Redactor redactor;
    private final RedactionPatterns patterns;

    /** @param patterns the rule's: every form of the secrets on the handshake ({@link RedactionPatterns#none()} for none) */
    ServerFrameRelay(Channel client, TunnelAccounting accounting, Redactor redactor, RedactionPatterns patterns) {
        this.client = client;
        this.accounting = accounting;
        this.redactor = redactor;
        this.patterns = patterns;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        accounting.add(false, frame.content().readableBytes());
        if (!client.isActive()) {
            frame.release();
            return;
        }
        client.writeAndFlush(redact(frame)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                ctx.close();
                f.channel().close();
            }
        });
        if (client.isWritable()) {
            ctx.read();
        }
    }

    private WebSocketFrame redact(WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            String before = text.text();
            String after = redactText(before);
            return after.equals(before) ? text : replace(text, new TextWebSocketFrame(text.isFinalFragment(), text.rsv(), after));
        }
        if (frame instanceof BinaryWebSocketFrame binary) {
            String before = binary.content().toString(StandardCharsets.ISO_8859_1);
            String after = redactor.redact(patterns.redactLatin1(before));
            return after.equals(before) ? binary : replace(binary, new BinaryWebSocketFrame(binary.isFinalFragment(), binary.rsv(),
                    Unpooled.copiedBuffer(after, StandardCharsets.ISO_8859_1)));
        }
        if (frame instanceof CloseWebSocketFrame close && close.content().readableBytes() > 2) {
            String reason = close.reasonText();
            String after = redactText(reason);
            return after.equals(reason) ? close : replace(close, new CloseWebSocketFrame(close.statusCode(), after));
        }
        return frame;
    }

    /**
     * A text with the rule's forms taken out of its UTF-8 bytes (one char per byte, as the patterns
     * are bytes; the marker that replaces a match is ASCII, so the bytes stay UTF-8), then the
     * policy's redactor's values out of its characters.
     */
    private String redactText(String text) {
        String bytes = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        String patterned = patterns.redactLatin1(bytes);
        String afterPatterns = patterned == bytes ? text
                : new String(patterned.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return redactor.redact(afterPatterns);
    }

    private static WebSocketFrame replace(WebSocketFrame old, WebSocketFrame redacted) {
        old.release();
        return redacted;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            client.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (client.isActive()) {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        accounting.sideClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A frame the decoder refused (an extension nobody negotiated, a message over the limit): end both sides.
        LOG.debug("WebSocket from {} failed: {}", accounting.target(), cause.getClass().getName());
        ctx.close();
    }
}
