package io.credproxy.demo;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A plain Netty HTTPS client on the transport its argument names ({@code nio}, {@code epoll} or
 * {@code io_uring}), with nothing configured about proxies: Netty connects where it is told. On
 * epoll and io_uring the connect is a native {@code connect(2)} (or an io_uring submission) that no
 * JDK socket class sees; on NIO the channel is registered with its selector before it connects.
 */
public final class NettyDemo {
    private NettyDemo() {}

    public static void main(String[] args) {
        String transport = args.length > 0 ? args[0] : "epoll";
        try {
            call(DemoTarget.fromEnvironment(), transport);
        } catch (Exception e) {
            DemoTarget.fail("netty-" + transport, e);
        }
    }

    /** One GET on {@code transport}; prints the outcome line. */
    static void call(DemoTarget target, String transport) throws Exception {
        String name = "netty-" + transport;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, ioHandler(transport));
        try {
            SslContext tls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).endpointIdentificationAlgorithm("HTTPS").build();
            CompletableFuture<FullHttpResponse> answer = new CompletableFuture<>();
            Channel channel = new Bootstrap().group(group).channel(channelType(transport))
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), target.host(), target.port()))
                                    .addLast(new HttpClientCodec())
                                    .addLast(new HttpObjectAggregator(1 << 20))
                                    .addLast(new SimpleChannelInboundHandler<FullHttpResponse>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                                            answer.complete(response.retainedDuplicate());
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            answer.completeExceptionally(cause);
                                        }
                                    });
                        }
                    })
                    .connect(target.host(), target.port()).sync().channel();
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target.pathAndQuery());
            request.headers().set(HttpHeaderNames.HOST, target.authority());
            target.headers().forEach((header, value) -> request.headers().set(header, value));
            channel.writeAndFlush(request);
            FullHttpResponse response = answer.get(20, TimeUnit.SECONDS);
            DemoTarget.report(name, response.status().code(), response.content().toString(StandardCharsets.UTF_8));
            response.release();
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static IoHandlerFactory ioHandler(String transport) {
        return switch (transport) {
            case "nio" -> NioIoHandler.newFactory();
            case "epoll" -> EpollIoHandler.newFactory();
            case "io_uring" -> IoUringIoHandler.newFactory();
            default -> throw new IllegalArgumentException("transport: nio, epoll or io_uring, not " + transport);
        };
    }

    private static Class<? extends SocketChannel> channelType(String transport) {
        return switch (transport) {
            case "nio" -> NioSocketChannel.class;
            case "epoll" -> EpollSocketChannel.class;
            default -> IoUringSocketChannel.class;
        };
    }
}
