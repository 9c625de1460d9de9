package io.credproxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TLS WebSocket server on 127.0.0.1 for tests (Netty's server handshake and frames), at path
 * {@code /ws}. It offers {@code h2} and {@code http/1.1} by ALPN, like real API servers, so a proxy
 * must ask for HTTP/1.1 to get a WebSocket; over h2 it only answers "h2 here". Messages:
 * <ul>
 *   <li>{@code reflect:NAME}: answers with the handshake's NAME header values (a server that echoes
 *       a credential into a message);
 *   <li>{@code reflect-percent:NAME} and {@code reflect-basic:NAME}: the first NAME header value with
 *       every byte percent-encoded (lower-case hex), and as Base64 of {@code "u:" + value} (a Basic
 *       credential: the value two bytes into the encoded text); {@code reflect-binary:NAME}: the value's
 *       bytes in a binary message. Spellings a workload could ask an echoing server for;
 *   <li>{@code big:N}: answers N {@code x} characters;
 *   <li>anything else: echoed, text as text, binary as binary.
 * </ul>
 * Each handshake's headers are recorded (lower-case names).
 */
public final class WebSocketEchoServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final ConcurrentLinkedQueue<Map<String, List<String>>> handshakes = new ConcurrentLinkedQueue<>();

    private WebSocketEchoServer(TestPki pki) throws Exception {
        SslContext tls = SslContextBuilder.forServer(pki.serverKeyManagers())
                .sslProvider(SslProvider.JDK)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new Negotiation());
                    }
                })
                .bind(new InetSocketAddress(TestPki.loopback(), 0)).sync().channel();
    }

    public static WebSocketEchoServer start(TestPki pki) throws Exception {
        return new WebSocketEchoServer(pki);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** {@code 127.0.0.1:port}, as written in {@code upstream.resolve}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** The headers of every handshake so far. */
    public List<Map<String, List<String>>> handshakes() {
        return new ArrayList<>(handshakes);
    }

    private final class Negotiation extends ApplicationProtocolNegotiationHandler {
        Negotiation() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Http2MultiplexHandler(new H2Here()));
            } else {
                ctx.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                        new WebSocketServerProtocolHandler("/ws"), new Echo());
            }
        }
    }

    private final class Echo extends ChannelInboundHandlerAdapter {
        private Map<String, List<String>> headers = Map.of();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                Map<String, List<String>> recorded = new LinkedHashMap<>();
                done.requestHeaders().forEach(e -> recorded.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT),
                        k -> new ArrayList<>()).add(e.getValue()));
                headers = recorded;
                handshakes.add(recorded);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame text) {
                String message = text.text();
                text.release();
                if (message.startsWith("reflect-binary:")) {
                    ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.copiedBuffer(header(message), StandardCharsets.UTF_8)));
                    return;
                }
                String answer = message.startsWith("reflect:")
                        ? String.valueOf(headers.get(message.substring("reflect:".length()).toLowerCase(Locale.ROOT)))
                        : message.startsWith("reflect-percent:") ? percentEveryByte(header(message))
                        : message.startsWith("reflect-basic:")
                                ? Base64.getEncoder().encodeToString(("u:" + header(message)).getBytes(StandardCharsets.UTF_8))
                        : message.startsWith("big:") ? "x".repeat(Integer.parseInt(message.substring(4))) : message;
                ctx.writeAndFlush(new TextWebSocketFrame(answer));
            } else if (msg instanceof BinaryWebSocketFrame binary) {
                ctx.writeAndFlush(binary);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        /** The first value of the handshake header named after the command's colon. */
        private String header(String command) {
            List<String> values = headers.get(command.substring(command.indexOf(':') + 1).toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? "" : values.get(0);
        }
    }

    private static String percentEveryByte(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(String.format("%02x", b & 0xff));
        }
        return out.toString();
    }

    /** Over h2 there is no WebSocket here: every stream gets 200 "h2 here". */
    private static final class H2Here extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean answer = msg instanceof Http2HeadersFrame headers && headers.isEndStream();
            ReferenceCountUtil.release(msg);
            if (answer) {
                ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), false));
                ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("h2 here\n", StandardCharsets.US_ASCII), true));
            }
        }

        @Override
        public boolean isSharable() {
            return true;
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
