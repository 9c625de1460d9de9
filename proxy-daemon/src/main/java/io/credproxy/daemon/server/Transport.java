package io.credproxy.daemon.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's event loops and the channel types that go with them, chosen in one place.
 *
 * <p>One acceptor thread and one worker loop per core by default. Every connection of an exchange
 * (client side and upstream side) lives on one worker loop, so no handler needs a lock.
 *
 * <p>Linux's epoll (Netty's native transport) where its library loads, else the JDK's NIO. Why: a
 * kept-alive request costs fewer system calls and less garbage on epoll (no selected-key set, no
 * JDK selector wake-ups); measured in the commit that made it the default. {@code
 * -Dcredproxy.transport=nio} forces NIO, for comparison or if a platform's native library misbehaves.
 */
public final class Transport implements AutoCloseable {
    public static final String PROPERTY = "credproxy.transport";

    private final boolean epoll;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;

    public Transport(int workerThreads) {
        this.epoll = useEpoll();
        this.acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("credproxy-accept", true), ioHandler(epoll));
        this.workers = new MultiThreadIoEventLoopGroup(workerThreads, new DefaultThreadFactory("credproxy-io", true), ioHandler(epoll));
    }

    private Transport(boolean epoll, EventLoopGroup single) {
        this.epoll = epoll;
        this.acceptors = single;
        this.workers = single;
    }

    /** One thread that accepts and serves: for a small port that must not share the proxy's loops (admin). */
    public static Transport single(String threadName) {
        boolean epoll = useEpoll();
        return new Transport(epoll, new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true), ioHandler(epoll)));
    }

    public static int defaultWorkerThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Whether the native epoll transport is used: available, and not turned off by {@value #PROPERTY}. */
    static boolean useEpoll() {
        String wanted = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        return !wanted.equals("nio") && Epoll.isAvailable();
    }

    /** The transport in use, for the start-up line: {@code epoll} or {@code nio}. */
    public static String describe() {
        return useEpoll() ? "epoll" : "nio";
    }

    private static IoHandlerFactory ioHandler(boolean epoll) {
        return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public EventLoopGroup acceptors() {
        return acceptors;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public Class<? extends ServerSocketChannel> serverChannelType() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> channelType() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    @Override
    public void close() {
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
