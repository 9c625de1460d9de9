package io.credproxy.daemon.it;

import io.credproxy.testing.TestPki;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLEngine;

/**
 * A compromised upstream on 127.0.0.1 that echoes the credential it received ({@code X-Api-Key})
 * back in every form ({@link EchoForms}) and every place: the status line, header fields, the body
 * and the chunked trailers. The body is written {@code chunk} bytes at a time, each flushed on its
 * own (so each piece is its own TLS record), in the coding the query asks for:
 * {@code ?mode=chunked|length|gzip|deflate|rawdeflate&chunk=N}.
 *
 * <p>Netty's codec and the JDK's TLS engine; nothing shared with the daemon but the library.
 */
final class EchoingUpstream implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    private EchoingUpstream(TestPki pki) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SSLEngine engine = pki.serverContext().createSSLEngine();
                        engine.setUseClientMode(false);
                        ch.pipeline().addLast(new SslHandler(engine), new HttpServerCodec(), new Echo());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    static EchoingUpstream start(TestPki pki) throws InterruptedException {
        return new EchoingUpstream(pki);
    }

    /** {@code 127.0.0.1:port}, for {@code upstream.resolve}. */
    String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Answers each request, once it has been read whole, with the echoes of its X-Api-Key. */
    private static final class Echo extends SimpleChannelInboundHandler<HttpObject> {
        private HttpRequest request;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) throws IOException {
            if (msg instanceof HttpRequest r) {
                request = r;
            }
            if (msg instanceof LastHttpContent && request != null) {
                respond(ctx, request);
                request = null;
            }
        }

        private static void respond(ChannelHandlerContext ctx, HttpRequest request) throws IOException {
            Map<String, java.util.List<String>> query = new QueryStringDecoder(request.uri()).parameters();
            String mode = query.getOrDefault("mode", java.util.List.of("chunked")).get(0);
            int chunk = Integer.parseInt(query.getOrDefault("chunk", java.util.List.of("7")).get(0));
            String value = String.valueOf(request.headers().get("X-Api-Key"));
            Map<String, String> forms = EchoForms.of(value);
            byte[] body = encode(mode, body(forms).getBytes(StandardCharsets.UTF_8));

            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(200, "OK " + value));
            forms.forEach((name, form) -> head.headers().add("X-Echo-" + name, form));
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            boolean chunked = !mode.equals("length");
            if (chunked) {
                HttpUtil.setTransferEncodingChunked(head, true);
            } else {
                HttpUtil.setContentLength(head, body.length);
            }
            if (mode.contains("deflate") || mode.equals("gzip")) {
                head.headers().set(HttpHeaderNames.CONTENT_ENCODING, mode.equals("gzip") ? "gzip" : "deflate");
            }
            ctx.writeAndFlush(head);
            for (int i = 0; i < body.length; i += chunk) {
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(body, i, Math.min(chunk, body.length - i))));
            }
            LastHttpContent last = new DefaultLastHttpContent();
            if (chunked) {
                last.trailingHeaders().add("X-Echo-Trailer", value).add("X-Echo-Trailer-B64", forms.get("base64"));
            }
            ctx.writeAndFlush(last).addListener(f -> {
                if (!HttpUtil.isKeepAlive(request)) {
                    ctx.close();
                }
            }).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }

        private static String body(Map<String, String> forms) {
            StringBuilder out = new StringBuilder("{\"echo\":[\n");
            for (int round = 0; round < 3; round++) {
                forms.forEach((name, form) -> out.append("  {\"form\":\"").append(name).append("\",\"value\":\"").append(form).append("\"},\n"));
            }
            return out.append("  \"end\"]}\n").toString();
        }

        private static byte[] encode(String mode, byte[] body) {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                switch (mode) {
                    case "gzip" -> {
                        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                            gz.write(body);
                        }
                    }
                    case "deflate", "rawdeflate" -> {
                        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(6, mode.equals("rawdeflate")))) {
                            z.write(body);
                        }
                    }
                    default -> out.write(body);
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
