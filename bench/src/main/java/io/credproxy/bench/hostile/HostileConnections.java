package io.credproxy.bench.hostile;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile workload kept up against a proxy: {@code idle} connections that never send a byte and
 * {@code slow} connections that send a request head one byte a second (a slowloris), from an
 * address of their own. Whatever the proxy closes is opened again a second later, so the pressure
 * stays on for as long as the attack runs. Everything is read and dropped (a 408 or a 503).
 *
 * <p>One Netty event loop drives every connection; connects are paced ({@value #CONNECTS_PER_SECOND}
 * a second) so the attacker's own SYN burst is not what is measured.
 */
final class HostileConnections implements AutoCloseable {
    static final int CONNECTS_PER_SECOND = 4_000;
    private static final byte[] SLOW_HEAD = ("GET http://slow.invalid/ HTTP/1.1\r\nHost: slow.invalid\r\nX-Slow: "
            + "s".repeat(4096)).getBytes(StandardCharsets.US_ASCII);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("hostile", true),
            NioIoHandler.newFactory());
    private final InetSocketAddress proxy;
    private final InetAddress from;
    private final AtomicInteger openIdle = new AtomicInteger();
    private final AtomicInteger openSlow = new AtomicInteger();
    private final AtomicLong closedByProxy = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final Semaphore pace = new Semaphore(0);
    private volatile boolean running = true;

    HostileConnections(InetSocketAddress proxy, InetAddress from) {
        this.proxy = proxy;
        this.from = from;
        group.scheduleAtFixedRate(() -> pace.release(CONNECTS_PER_SECOND / 10 - Math.min(pace.availablePermits(), CONNECTS_PER_SECOND / 10)),
                0, 100, TimeUnit.MILLISECONDS);
    }

    /** Opens {@code idle} silent and {@code slow} trickling connections, paced; returns once all are asked for. */
    void open(int idle, int slow) throws InterruptedException {
        for (int i = 0; i < idle + slow; i++) {
            pace.acquire();
            connect(i >= idle);
        }
    }

    private void connect(boolean slow) {
        if (!running) {
            return;
        }
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                            }
                        });
                    }
                });
        ChannelFuture f = b.connect(proxy, new InetSocketAddress(from, 0));
        f.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                connectFailures.incrementAndGet();
                reconnectLater(slow);
                return;
            }
            Channel ch = done.channel();
            (slow ? openSlow : openIdle).incrementAndGet();
            ch.closeFuture().addListener(c -> {
                (slow ? openSlow : openIdle).decrementAndGet();
                if (running) {
                    closedByProxy.incrementAndGet();
                    reconnectLater(slow);
                }
            });
            if (slow) {
                trickle(ch, 0);
            }
        });
    }

    private void reconnectLater(boolean slow) {
        if (running) {
            group.schedule(() -> connect(slow), 1, TimeUnit.SECONDS);
        }
    }

    /** One byte of the head now, the next in a second; the head never ends. */
    private void trickle(Channel ch, int at) {
        if (!running || !ch.isActive()) {
            return;
        }
        ch.writeAndFlush(Unpooled.wrappedBuffer(SLOW_HEAD, at % SLOW_HEAD.length, 1));
        ch.eventLoop().schedule(() -> trickle(ch, at + 1), 1, TimeUnit.SECONDS);
    }

    int openIdle() {
        return openIdle.get();
    }

    int openSlow() {
        return openSlow.get();
    }

    /** Connections the proxy closed (timeouts, limits) and were opened again. */
    long closedByProxy() {
        return closedByProxy.get();
    }

    long connectFailures() {
        return connectFailures.get();
    }

    @Override
    public void close() {
        running = false;
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
