package io.credproxy.daemon.admin;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.limits.HeadBudget;
import io.credproxy.daemon.limits.IdleTimeout;
import io.credproxy.daemon.limits.RequestHeadGuard;
import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.credproxy.daemon.server.Listener;
import io.credproxy.daemon.server.Transport;
import io.credproxy.protocol.config.HostPort;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The admin port: a small HTTP server for {@code /ca.pem}, {@code /healthz} and whatever else is
 * registered on its {@link AdminRouter}.
 *
 * <p>It has an event loop of its own (one thread), so nothing a client does here can stall the
 * proxy, and nothing the proxy suffers stops {@code /healthz} from saying so. It holds its clients
 * to {@link AdminLimits}: a small connection cap (more are closed at once), a request timeout, an
 * idle timeout, and a budget for request bodies (each up to {@value #MAX_BODY_BYTES} bytes, 413
 * above) shared by all connections, read into the heap as they arrive ({@link AdminBodies}).
 * Endpoints run on one thread of their own, one request per connection at a time.
 */
public final class AdminServer implements AutoCloseable {
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final int MAX_REQUEST_LINE = 4 * 1024;
    private static final int MAX_HEADERS = 16 * 1024;

    private final Transport transport;
    private final Listener listener;
    private final ExecutorService executor;

    private AdminServer(Transport transport, Listener listener, ExecutorService executor) {
        this.transport = transport;
        this.listener = listener;
        this.executor = executor;
    }

    /** Binds the admin port with the default limits and metrics of its own (tests, tools). */
    public static AdminServer start(HostPort address, AdminRouter router) throws ConfigException {
        return start(address, router, AdminLimits.defaults(),
                new LimitMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    /** @throws ConfigException when the address cannot be bound */
    public static AdminServer start(HostPort address, AdminRouter router, AdminLimits limits, LimitMetrics metrics)
            throws ConfigException {
        // One request per connection at a time: the queue never holds more than the connections.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(limits.maxConnections()), r -> {
                    Thread t = new Thread(r, "credproxy-admin");
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        Transport transport = Transport.single("credproxy-admin-io");
        AtomicInteger open = new AtomicInteger();
        Shared shared = new Shared(router, executor, limits, metrics);
        try {
            Listener listener = Listener.bind(transport, address, new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    if (open.incrementAndGet() > limits.maxConnections()) {
                        open.decrementAndGet();
                        metrics.rejected(Limit.ADMIN_CONNECTIONS);
                        ch.close();
                        return;
                    }
                    ch.closeFuture().addListener(f -> open.decrementAndGet());
                    shared.configure(ch.pipeline());
                }
            }, "admin endpoint", true);
            return new AdminServer(transport, listener, executor);
        } catch (ConfigException e) {
            executor.shutdownNow();
            transport.close();
            throw e;
        }
    }

    /** What every admin connection shares: routes, the endpoint thread, the limits and the budgets behind them. */
    record Shared(AdminRouter router, Executor executor, AdminLimits limits, LimitMetrics metrics, HeadBudget heads,
            AtomicLong bodyBudget) {
        Shared(AdminRouter router, Executor executor, AdminLimits limits, LimitMetrics metrics) {
            this(router, executor, limits, metrics,
                    new HeadBudget((long) limits.maxConnections() * (MAX_REQUEST_LINE + MAX_HEADERS), Limit.ADMIN_BODIES, metrics),
                    new AtomicLong(limits.bodyBudgetBytes()));
        }

        /** The pipeline of one admin connection: idle timeout, head guard, codec, body reader, router. */
        void configure(ChannelPipeline pipeline) {
            RequestHeadGuard guard = new RequestHeadGuard(limits.requestTimeoutMillis(), Limit.ADMIN_TIMEOUT, heads,
                    MAX_REQUEST_LINE + MAX_HEADERS, metrics);
            pipeline.addLast(IdleTimeout.NAME, new IdleTimeout(limits.idleTimeoutMillis(), Limit.ADMIN_TIMEOUT, metrics))
                    .addLast("head", guard)
                    .addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
                            .setMaxInitialLineLength(MAX_REQUEST_LINE)
                            .setMaxHeaderSize(MAX_HEADERS)))
                    .addLast("body", new AdminBodies(bodyBudget, guard, limits, metrics))
                    .addLast("admin", new AdminHandler(router, executor));
        }
    }

    public InetSocketAddress address() {
        return listener.address();
    }

    @Override
    public void close() {
        listener.close();
        executor.shutdownNow();
        transport.close();
    }
}
