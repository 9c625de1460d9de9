package io.credproxy.bench.upstream;

import io.credproxy.bench.ExpectedAuth;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The benchmark's own HTTPS upstream for what nginx cannot do: server-sent events and counting an
 * uploaded body. Also answers {@code /echo} and {@code /download?bytes=N}, so tests can use it alone.
 *
 * <p>One event-loop thread, like the one nginx worker. Every answer carries the upstream's
 * {@link io.credproxy.bench.AuthVerdict} on the {@code Authorization} the request arrived with,
 * which is how the load generator checks the proxy's injection.
 */
public final class BenchUpstream implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel server;

    private BenchUpstream(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /** Starts on {@code host:port} (port 0: any free port). */
    public static BenchUpstream start(String host, int port, SslContext tls, ExpectedAuth expected) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(
                                    tls.newHandler(ch.alloc()),
                                    new HttpServerCodec(),
                                    new HttpServerKeepAliveHandler(),
                                    new BenchUpstreamHandler(expected));
                        }
                    })
                    .bind(host, port).sync().channel();
            return new BenchUpstream(group, server);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully().syncUninterruptibly();
    }

    /** {@code BenchUpstream HOST PORT CERT.pem KEY.pem SECRETS_ENV NAME}: serves until killed. */
    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: BenchUpstream HOST PORT CERT.pem KEY.pem(PKCS#8) SECRETS_ENV SECRET_NAME");
            System.exit(2);
        }
        SslContext tls = SslContextBuilder.forServer(new File(args[2]), new File(args[3])).build();
        ExpectedAuth expected = ExpectedAuth.fromEnvFile(Path.of(args[4]), args[5]);
        BenchUpstream upstream = start(args[0], Integer.parseInt(args[1]), tls, expected);
        System.out.println("bench upstream listening on " + args[0] + ":" + upstream.port());
        new CountDownLatch(1).await();
    }
}
