package io.credproxy.daemon.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's event loops and the channel types that go with them, chosen in one place.
 *
 * <p>One acceptor thread and one worker loop per core by default. Every connection of an exchange
 * (client side and upstream side) lives on one worker loop, so no handler needs a lock.
 */
public final class Transport implements AutoCloseable {
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;

    public Transport(int workerThreads) {
        this.acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("credproxy-accept", true), NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(workerThreads, new DefaultThreadFactory("credproxy-io", true), NioIoHandler.newFactory());
    }

    private Transport(EventLoopGroup single) {
        this.acceptors = single;
        this.workers = single;
    }

    /** One thread that accepts and serves: for a small port that must not share the proxy's loops (admin). */
    public static Transport single(String threadName) {
        return new Transport(new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true), NioIoHandler.newFactory()));
    }

    public static int defaultWorkerThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public EventLoopGroup acceptors() {
        return acceptors;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public Class<? extends ServerSocketChannel> serverChannelType() {
        return NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> channelType() {
        return NioSocketChannel.class;
    }

    @Override
    public void close() {
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
