package io.credproxy.daemon.server;

import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.redaction.RedactionPatterns;
import io.credproxy.protocol.report.Decision;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;

/**
 * Turns an exchange whose upstream accepted a WebSocket handshake ({@code 101}, already sent to the
 * client) into a relay of the two connections, recorded as the one exchange it is: the handshake's
 * decision and status, and the bytes each way, when both sides have closed.
 *
 * <p>Client to server: raw bytes ({@link TunnelRelayHandler}); the client's frames are its own.
 * Server to client on an exchange that carried a credential: decoded by Netty's WebSocket codec,
 * redacted per message ({@link ServerFrameRelay}), encoded again; without a credential, raw bytes
 * too. Both sides read only as fast as the other writes, and close after
 * {@link WebSocketIdleTimeout} of silence. The HTTP codecs leave the pipelines last, so bytes that
 * came right behind the handshake reach the relays rather than an HTTP decoder.
 */
final class WebSocketRelay {
    /** The largest server message relayed when messages are redacted (whole messages are needed). */
    static final int MAX_MESSAGE = 1 << 20;

    private WebSocketRelay() {}

    /** The upstream accepted the exchange's WebSocket handshake: answer the client, then relay frames both ways. */
    static void takeOver(ForwardedExchange ex, ChannelHandlerContext client, HttpResponse response, Exchange exchange,
            ProxyContext proxy) {
        WebSocketUpgrade.restore(response.headers());
        ex.finished = true;
        exchange.status(101);
        UpstreamHandler.of(ex.upstream).detach();
        client.writeAndFlush(response);
        start(ex.owner(), client.channel(), ex.upstream, exchange, proxy);
    }

    static void start(ForwardHandler owner, Channel client, Channel upstream, Exchange exchange, ProxyContext proxy) {
        TunnelAccounting accounting = new TunnelAccounting(exchange, proxy.stages(), proxy.metrics(), true);
        boolean redact = exchange.decision() == Decision.INJECTED;

        ChannelPipeline up = upstream.pipeline();
        up.remove(UpstreamHandler.class);
        up.remove("idle");
        String codec = up.context(HttpClientCodec.class).name();
        up.addAfter(codec, "ws-idle", new WebSocketIdleTimeout());
        if (redact) {
            up.addAfter("ws-idle", "ws-decoder", new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                    .expectMaskedFrames(false).allowExtensions(false).maxFramePayloadLength(MAX_MESSAGE).build()));
            up.addAfter("ws-decoder", "ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE));
            up.addAfter("ws-aggregator", "ws-relay", new ServerFrameRelay(client, accounting, exchange.policy().redactor(),
                    exchange.rule() == null ? RedactionPatterns.none() : exchange.rule().redaction()));
        } else {
            up.addAfter("ws-idle", "ws-relay", new TunnelRelayHandler(client, accounting, false));
        }

        ChannelPipeline down = client.pipeline();
        String serverCodec = down.context(HttpServerCodec.class).name();
        down.addAfter(serverCodec, "ws-idle", new WebSocketIdleTimeout());
        if (redact) {
            down.addAfter("ws-idle", "ws-encoder", new WebSocket13FrameEncoder(false));
        }
        down.addAfter(redact ? "ws-encoder" : "ws-idle", "ws-relay", new TunnelRelayHandler(upstream, accounting, true));
        boolean clean = owner.detach();
        down.remove(owner);
        down.remove(serverCodec);
        up.remove(codec);
        if (!clean) {
            // The client sent more than the handshake before the 101: not a WebSocket client.
            client.close();
            upstream.close();
            return;
        }
        client.read();
        upstream.read();
    }
}
