package io.credproxy.daemon.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One h2 connection to an upstream, shared by many exchanges: each gets a stream of its own
 * ({@link #openStream}) that looks to it like an HTTP/1.1 connection (HTTP objects in and out,
 * {@link UpstreamHandler} last), so {@link ForwardedExchange} relays it unchanged.
 *
 * <p>Ready (handed out) once the server's first SETTINGS frame arrived: only then is its
 * SETTINGS_MAX_CONCURRENT_STREAMS known. It takes new streams while it has fewer open than that
 * limit (and at most {@value #MAX_STREAMS}), and none after the server's GOAWAY. Without open
 * streams for {@link UpstreamConnector#POOL_IDLE_SECONDS} it closes. The connection reads freely:
 * HTTP/2 flow control, driven by each stream's reads, holds the server back.
 */
final class Http2UpstreamConnection extends ChannelInboundHandlerAdapter {
    static final int MAX_STREAMS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(Http2UpstreamConnection.class);

    private final Http2FrameCodec codec;
    private final Promise<Channel> ready;
    private final int settingsTimeoutMillis;
    private Channel channel;
    private int streams;
    private boolean settled;
    private boolean draining;

    private Http2UpstreamConnection(Http2FrameCodec codec, Promise<Channel> ready, int settingsTimeoutMillis) {
        this.codec = codec;
        this.ready = ready;
        this.settingsTimeoutMillis = settingsTimeoutMillis;
    }

    /** Turns a connection whose ALPN chose h2 into a multiplexed one; {@code ready} completes on the server's SETTINGS. */
    static void install(ChannelPipeline p, String base, Promise<Channel> ready, int settingsTimeoutMillis) {
        Http2FrameCodec codec = Http2Codecs.client();
        p.addAfter(base, "h2", codec);
        p.addAfter("h2", "h2-streams", new Http2MultiplexHandler(new PushRefused()));
        p.addAfter("h2-streams", "idle", new IdleStateHandler(0, 0, UpstreamConnector.POOL_IDLE_SECONDS, TimeUnit.SECONDS));
        p.addAfter("idle", "h2-connection", new Http2UpstreamConnection(codec, ready, settingsTimeoutMillis));
        p.channel().config().setAutoRead(true);
        p.channel().read();
    }

    /** The connection's handler, or {@code null} when {@code channel} is not an h2 upstream connection. */
    static Http2UpstreamConnection of(Channel channel) {
        return channel.pipeline().get(Http2UpstreamConnection.class);
    }

    Channel channel() {
        return channel;
    }

    /** Whether another exchange may open a stream here now. */
    boolean usable() {
        return settled && !draining && channel.isActive() && !codec.connection().goAwayReceived() && streams < capacity();
    }

    private int capacity() {
        // The local endpoint's limit is the one the server set in its SETTINGS_MAX_CONCURRENT_STREAMS.
        return Math.min(MAX_STREAMS, codec.connection().local().maxActiveStreams());
    }

    /** A new stream, ready for one request; {@code reused} marks it as riding on a connection used before. */
    Future<Channel> openStream(boolean reused) {
        streams++;
        Promise<Channel> opened = channel.eventLoop().newPromise();
        new Http2StreamChannelBootstrap(channel)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline()
                                .addLast("h2-reset", new StreamResetOnClose())
                                .addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(false))
                                .addLast("h2-split", new FullMessageSplitter())
                                .addLast("h2-stall", new StreamStallTimeout())
                                .addLast(UpstreamHandler.NAME, new UpstreamHandler());
                    }
                })
                .open()
                .addListener((Future<Http2StreamChannel> f) -> {
                    if (!f.isSuccess()) {
                        streams--;
                        opened.tryFailure(f.cause());
                        return;
                    }
                    Http2StreamChannel stream = f.getNow();
                    stream.closeFuture().addListener(c -> streams--);
                    if (reused) {
                        UpstreamConnector.markPooled(stream);
                    }
                    opened.trySuccess(stream);
                });
        return opened;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Http2Exception {
        channel = ctx.channel();
        Http2Connection connection = codec.connection();
        connection.local().flowController().incrementWindowSize(connection.connectionStream(),
                Http2Codecs.UPSTREAM_CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE);
        ctx.executor().schedule(() -> {
            if (ready.tryFailure(new Http2SettingsTimeoutException(settingsTimeoutMillis))) {
                ctx.close();
            }
        }, settingsTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2SettingsFrame && !settled) {
            settled = true;
            ready.trySuccess(channel);
        } else if (msg instanceof Http2GoAwayFrame) {
            draining = true;
        }
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && streams == 0) {
            ctx.close();
            return;
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ready.tryFailure(new ClosedChannelException());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("h2 upstream connection {} failed: {}", ctx.channel().remoteAddress(), cause.getClass().getName());
        ctx.close();
    }

    /** The server sent no SETTINGS in time after choosing h2: not an h2 server after all. */
    static final class Http2SettingsTimeoutException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        Http2SettingsTimeoutException(int millis) {
            super("no HTTP/2 SETTINGS from the upstream within " + millis + " ms");
        }
    }

    /** Server push is disabled in our SETTINGS; a stream the server opens anyway is closed at once. */
    private static final class PushRefused extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            ctx.close();
        }

        @Override
        public boolean isSharable() {
            return true;
        }
    }
}
