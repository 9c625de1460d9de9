package io.credproxy.daemon.admin;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.server.Listener;
import io.credproxy.daemon.server.Transport;
import io.credproxy.protocol.config.HostPort;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The admin port: a small HTTP server for {@code /ca.pem}, {@code /healthz} and whatever else is
 * registered on its {@link AdminRouter}.
 *
 * <p>Requests are read whole (bodies up to {@value #MAX_BODY_BYTES} bytes; larger ones get 413)
 * because admin requests are small; endpoints run on one thread of their own so that a slow
 * report never stalls proxy traffic.
 */
public final class AdminServer implements AutoCloseable {
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private final Listener listener;
    private final ExecutorService executor;

    private AdminServer(Listener listener, ExecutorService executor) {
        this.listener = listener;
        this.executor = executor;
    }

    public static AdminServer start(Transport transport, HostPort address, AdminRouter router) throws ConfigException {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "credproxy-admin");
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        try {
            Listener listener = Listener.bind(transport, address, new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                            .addLast("codec", new HttpServerCodec())
                            .addLast("aggregate", new HttpObjectAggregator(MAX_BODY_BYTES))
                            .addLast("admin", new AdminHandler(router, executor));
                }
            }, "admin endpoint", true);
            return new AdminServer(listener, executor);
        } catch (ConfigException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return listener.address();
    }

    @Override
    public void close() {
        listener.close();
        executor.shutdownNow();
    }
}
