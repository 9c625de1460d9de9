package io.credproxy.daemon.server;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.protocol.config.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.Errors;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * A bound listening socket (the proxy port or the admin port).
 *
 * <p>Proxy connections start with {@code AUTO_READ} off (their handlers decide when to read);
 * admin connections read freely.
 * A bind failure (port in use, address not local) is a start-up refusal with a one-line reason.
 */
public final class Listener implements AutoCloseable {
    private final Channel channel;

    private Listener(Channel channel) {
        this.channel = channel;
    }

    public static Listener bind(Transport transport, HostPort address, ChannelHandler initializer, String what,
            boolean autoRead) throws ConfigException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.acceptors(), transport.workers())
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, autoRead)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer);
        ChannelFuture bound = bootstrap.bind(address.host(), address.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            String why = cause instanceof BindException || cause instanceof Errors.NativeIoException
                    ? systemMessage(cause).toLowerCase(java.util.Locale.ROOT)
                    : cause.getClass().getSimpleName();
            throw new ConfigException("cannot listen on " + address + " for the " + what + ": " + why);
        }
        return new Listener(bound.channel());
    }

    /**
     * The system's words for a bind failure, the same on both transports: NIO's BindException says
     * "Address already in use", epoll's NativeIoException "bind(..) failed with error(-98): Address
     * already in use".
     */
    static String systemMessage(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        int colon = message.lastIndexOf(": ");
        return cause instanceof Errors.NativeIoException && colon >= 0 ? message.substring(colon + 2) : message;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Whether the socket is still bound and accepting (false once closed, by us or by a failure). */
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }
}
