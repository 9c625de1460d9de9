package io.credproxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;

/**
 * A local TLS upstream on 127.0.0.1 that speaks h2 (and, if asked, HTTP/1.1 by ALPN) and records
 * every request, for tests of the daemon's HTTP/2 side. Built on Netty's h2 server codec; shares no
 * code with the daemon.
 *
 * <p>Endpoints, whatever the host:
 * <ul>
 *   <li>{@code /trailers}: 200, a body, then trailers {@code grpc-status: 0} and
 *       {@code x-upstream-trailer: done};
 *   <li>{@code /reflect-header/NAME}: 200 with the request's NAME values in the response header
 *       {@code x-reflected} and in the trailer {@code x-reflected-trailer} (an upstream that echoes a
 *       credential back);
 *   <li>{@code /bytes?n=N}: N bytes;
 *   <li>{@code /delay?ms=N}: answers like the echo after N ms;
 *   <li>anything else: 200 {@code text/plain} "PROTOCOL METHOD PATH body=N".
 * </ul>
 * It counts accepted connections and the most streams ever open at once on one connection.
 */
public final class RecordingH2Upstream implements AutoCloseable {
    private static final AttributeKey<Integer> CONNECTION = AttributeKey.valueOf("test.connection");
    private static final AttributeKey<AtomicInteger> OPEN_STREAMS = AttributeKey.valueOf("test.openStreams");
    private static final AttributeKey<String> SNI = AttributeKey.valueOf("test.sni");

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel server;
    private final ConcurrentLinkedQueue<RecordedStream> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger maxStreamsOnOneConnection = new AtomicInteger();

    private RecordingH2Upstream(TestPki pki, boolean offerHttp11, long maxConcurrentStreams) throws Exception {
        List<String> protocols = offerHttp11 ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                : List.of(ApplicationProtocolNames.HTTP_2);
        SslContext tls = SslContextBuilder.forServer(pki.serverKeyManagers())
                .sslProvider(SslProvider.JDK)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols))
                .build();
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.attr(CONNECTION).set(connections.incrementAndGet());
                        ch.attr(OPEN_STREAMS).set(new AtomicInteger());
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new Negotiation(maxConcurrentStreams));
                    }
                })
                .bind(new InetSocketAddress(TestPki.loopback(), 0)).sync().channel();
    }

    /** An upstream offering only h2 by ALPN, with the default stream limit. */
    public static RecordingH2Upstream start(TestPki pki) throws Exception {
        return new RecordingH2Upstream(pki, false, 100);
    }

    /** An upstream offering h2 and (if {@code offerHttp11}) HTTP/1.1, allowing {@code maxConcurrentStreams} per connection. */
    public static RecordingH2Upstream start(TestPki pki, boolean offerHttp11, long maxConcurrentStreams) throws Exception {
        return new RecordingH2Upstream(pki, offerHttp11, maxConcurrentStreams);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** {@code 127.0.0.1:port}, as written in {@code upstream.resolve}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public List<RecordedStream> requests() {
        return new ArrayList<>(requests);
    }

    public void clear() {
        requests.clear();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** The most streams that were ever open at once on a single connection. */
    public int maxStreamsOnOneConnection() {
        return maxStreamsOnOneConnection.get();
    }

    private final class Negotiation extends ApplicationProtocolNegotiationHandler {
        private final long maxConcurrentStreams;

        Negotiation(long maxConcurrentStreams) {
            super(ApplicationProtocolNames.HTTP_1_1);
            this.maxConcurrentStreams = maxConcurrentStreams;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            ctx.channel().attr(SNI).set(sni(ctx));
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams))
                                .build(),
                        new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                            @Override
                            protected void initChannel(Http2StreamChannel ch) {
                                ch.pipeline().addLast(new StreamHandler());
                            }
                        }));
            } else {
                ctx.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Http1Handler());
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SniCompletionEvent sni) {
                ctx.channel().attr(SNI).set(sni.hostname());
            }
            super.userEventTriggered(ctx, evt);
        }
    }

    private static String sni(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null && ssl.engine().getSession() instanceof ExtendedSSLSession session) {
            for (SNIServerName name : session.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    /** One h2 stream: collects the request, then answers. */
    private final class StreamHandler extends ChannelInboundHandlerAdapter {
        private Http2Headers head;
        private final Map<String, List<String>> trailers = new LinkedHashMap<>();
        private long bodyBytes;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            int open = ctx.channel().parent().attr(OPEN_STREAMS).get().incrementAndGet();
            maxStreamsOnOneConnection.accumulateAndGet(open, Math::max);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ctx.channel().parent().attr(OPEN_STREAMS).get().decrementAndGet();
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean end = false;
            try {
                if (msg instanceof Http2HeadersFrame frame) {
                    if (head == null) {
                        head = frame.headers();
                    } else {
                        frame.headers().forEach(e -> trailers.computeIfAbsent(e.getKey().toString(), k -> new ArrayList<>())
                                .add(e.getValue().toString()));
                    }
                    end = frame.isEndStream();
                } else if (msg instanceof Http2DataFrame data) {
                    bodyBytes += data.content().readableBytes();
                    end = data.isEndStream();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
            if (end) {
                Channel parent = ctx.channel().parent();
                RecordedStream recorded = new RecordedStream("h2", str(head.method()), str(head.path()), str(head.authority()),
                        headers(head), bodyBytes, trailers, parent.attr(SNI).get(), parent.attr(CONNECTION).get());
                requests.add(recorded);
                respond(ctx, recorded);
            }
        }

        private void respond(ChannelHandlerContext ctx, RecordedStream r) {
            String path = r.path() == null ? "/" : r.path();
            String plain = path.split("\\?", 2)[0];
            Http2Headers out = new DefaultHttp2Headers().status("200");
            if (plain.equals("/trailers")) {
                ctx.write(new DefaultHttp2HeadersFrame(out.add("content-type", "text/plain"), false));
                ctx.write(new DefaultHttp2DataFrame(ascii("body before trailers\n"), false));
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers()
                        .add("grpc-status", "0").add("x-upstream-trailer", "done"), true));
            } else if (plain.startsWith("/reflect-header/")) {
                List<String> values = r.header(plain.substring("/reflect-header/".length()));
                out.add("x-reflected", values);
                ctx.write(new DefaultHttp2HeadersFrame(out, false));
                ctx.write(new DefaultHttp2DataFrame(ascii("reflected " + values + "\n"), false));
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("x-reflected-trailer", values), true));
            } else if (plain.equals("/bytes")) {
                long n = Long.parseLong(query(path, "n", "0"));
                ctx.write(new DefaultHttp2HeadersFrame(out.add("content-type", "application/octet-stream")
                        .add("content-length", Long.toString(n)), n == 0));
                for (long left = n; left > 0; ) {
                    int len = (int) Math.min(16 * 1024, left);
                    left -= len;
                    ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[len]), left == 0));
                }
                ctx.flush();
            } else {
                long delay = plain.equals("/delay") ? Long.parseLong(query(path, "ms", "1000")) : 0;
                ByteBuf body = ascii("h2 " + r.method() + " " + plain + " body=" + r.bodyBytes() + "\n");
                Runnable send = () -> {
                    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                            .add("content-type", "text/plain; charset=utf-8")
                            .add("content-length", Integer.toString(body.readableBytes())), false));
                    ctx.writeAndFlush(new DefaultHttp2DataFrame(body, true));
                };
                if (delay > 0) {
                    ctx.executor().schedule(send, delay, TimeUnit.MILLISECONDS);
                } else {
                    send.run();
                }
            }
        }
    }

    /** HTTP/1.1, when the client asked for it and this upstream offers it. */
    private final class Http1Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest request)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            try {
                Map<String, List<String>> headers = new LinkedHashMap<>();
                request.headers().forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(java.util.Locale.ROOT),
                        k -> new ArrayList<>()).add(e.getValue()));
                Channel ch = ctx.channel();
                RecordedStream r = new RecordedStream("http/1.1", request.method().name(), request.uri(),
                        request.headers().get("host"), headers, request.content().readableBytes(), Map.of(), ch.attr(SNI).get(),
                        ch.attr(CONNECTION).get());
                requests.add(r);
                byte[] body = ("http/1.1 " + r.method() + " " + r.path().split("\\?", 2)[0] + " body=" + r.bodyBytes() + "\n")
                        .getBytes(StandardCharsets.US_ASCII);
                io.netty.handler.codec.http.DefaultFullHttpResponse response = new io.netty.handler.codec.http.DefaultFullHttpResponse(
                        io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(body));
                response.headers().set("content-type", "text/plain").setInt("content-length", body.length);
                ctx.writeAndFlush(response);
            } finally {
                request.release();
            }
        }
    }

    private static Map<String, List<String>> headers(Http2Headers headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach(e -> {
            String name = e.getKey().toString();
            if (!name.startsWith(":")) {
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(e.getValue().toString());
            }
        });
        return out;
    }

    private static String query(String path, String name, String fallback) {
        int q = path.indexOf('?');
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                if (pair.startsWith(name + "=")) {
                    return pair.substring(name.length() + 1);
                }
            }
        }
        return fallback;
    }

    private static String str(CharSequence s) {
        return s == null ? null : s.toString();
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
