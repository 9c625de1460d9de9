package io.credproxy.daemon.server;

import io.credproxy.daemon.config.UpstreamConfig;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.StageResult;
import io.credproxy.protocol.config.HostPort;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Opens connections to upstream servers and keeps idle HTTP ones for reuse.
 *
 * <p>Each connection is made on the client's event loop ({@code Bootstrap.group(loop)}), with
 * {@code AUTO_READ} off so the proxy reads only as fast as the other side can take it.
 * {@code upstream.resolve} changes only the address dialled: the TLS server name (SNI) and the
 * name the certificate must carry stay the real host. TLS connections are handed out only after
 * the handshake has succeeded, so a request is never written to an unverified server. Between the
 * lookup and the connect, the caller's {@link UpstreamAddressCheck} judges the resolved address.
 */
public final class UpstreamConnector implements Upstreams, AutoCloseable {
    /**
     * How long an idle pooled connection is kept. A server that closes sooner is noticed through
     * the read kept pending while idle, and a replayable request that meets a just-closed
     * connection is retried once on a new one.
     */
    static final int POOL_IDLE_SECONDS = 15;
    /**
     * Idle connections kept per host on each event loop. As many as a loop may have had in flight
     * at once: a smaller cap closes the surplus after every exchange, and each later request then
     * pays a new TCP connection and TLS handshake (at 8, 1,000 busy clients ran at 122 req/s). Idle
     * ones still close after {@link #POOL_IDLE_SECONDS}.
     */
    static final int MAX_IDLE_PER_KEY = 1024;

    private static final AttributeKey<UpstreamKey> KEY = AttributeKey.valueOf("credproxy.upstreamKey");
    private static final AttributeKey<Boolean> POOLED = AttributeKey.valueOf("credproxy.pooled");

    private final UpstreamConfig config;
    private final SslContext tls;
    private final Class<? extends SocketChannel> channelType;
    private final HostResolver resolver = new HostResolver(4);
    private final UpstreamPool pool = new UpstreamPool(MAX_IDLE_PER_KEY);
    private final ProxyMetrics metrics;

    public UpstreamConnector(UpstreamConfig config, SslContext tls, Class<? extends SocketChannel> channelType, ProxyMetrics metrics) {
        this.config = config;
        this.tls = tls;
        this.channelType = channelType;
        this.metrics = metrics;
    }

    public int connectTimeoutMillis() {
        return config.connectTimeoutMillis();
    }

    @Override
    public Future<Channel> acquire(UpstreamKey key, EventLoop loop, boolean pooledAllowed, UpstreamAddressCheck check) {
        if (pooledAllowed) {
            Channel pooled = pool.poll(key);
            if (pooled != null) {
                // The policy may have changed since this connection was made: judge its address again.
                StageResult verdict = check == UpstreamAddressCheck.ANY ? StageResult.proceed()
                        : check.check((InetSocketAddress) pooled.remoteAddress());
                if (!verdict.proceeds()) {
                    release(pooled);
                    return loop.newFailedFuture(new AddressRefusedException(verdict));
                }
                pooled.attr(POOLED).set(Boolean.TRUE);
                return loop.newSucceededFuture(pooled);
            }
        }
        Promise<Channel> promise = loop.newPromise();
        connect(key.destination(), loop, new HttpUpstreamInitializer(key), promise, check);
        if (key.tls()) {
            return awaitHandshake(promise, loop);
        }
        return promise;
    }

    @Override
    public boolean wasPooled(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(POOLED).get());
    }

    @Override
    public void release(Channel channel) {
        UpstreamKey key = channel.attr(KEY).get();
        if (key == null || !pool.offer(key, channel)) {
            channel.close();
            return;
        }
        // Keep a read pending while idle, so a close by the server is noticed and the
        // connection leaves the pool before anyone takes it.
        channel.read();
    }

    @Override
    public Future<Channel> connectTunnel(HostPort destination, EventLoop loop, UpstreamAddressCheck check) {
        Promise<Channel> promise = loop.newPromise();
        connect(destination, loop, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // The tunnel's relay handler is added once the client has been answered.
            }
        }, promise, check);
        return promise;
    }

    private void connect(HostPort destination, EventLoop loop, ChannelHandler initializer, Promise<Channel> promise,
            UpstreamAddressCheck check) {
        HostPort address = config.resolve().getOrDefault(destination, destination);
        resolver.resolve(address.host(), loop).addListener((Future<InetAddress> resolved) -> {
            if (!resolved.isSuccess()) {
                promise.tryFailure(resolved.cause());
                return;
            }
            // The address judged is the address dialled: no second lookup between the two.
            InetSocketAddress target = new InetSocketAddress(resolved.getNow(), address.port());
            StageResult verdict = check.check(target);
            if (!verdict.proceeds()) {
                promise.tryFailure(new AddressRefusedException(verdict));
                return;
            }
            Bootstrap bootstrap = new Bootstrap()
                    .group(loop)
                    .channel(channelType)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeoutMillis())
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(initializer);
            ChannelFuture connected = bootstrap.connect(target);
            connected.addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    promise.tryFailure(f.cause());
                    return;
                }
                Channel ch = f.channel();
                metrics.upstreamOpened();
                ch.closeFuture().addListener(c -> metrics.upstreamClosed());
                if (!promise.trySuccess(ch)) {
                    ch.close();
                }
            });
        });
    }

    private static Future<Channel> awaitHandshake(Promise<Channel> connected, EventLoop loop) {
        Promise<Channel> ready = loop.newPromise();
        connected.addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                ready.tryFailure(f.cause());
                return;
            }
            Channel ch = f.getNow();
            ch.pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    if (!ready.trySuccess(ch)) {
                        ch.close();
                    }
                } else {
                    ch.close();
                    ready.tryFailure(h.cause());
                }
            });
        });
        return ready;
    }

    /** [TLS] + HTTP client codec + idle timer + the handler that feeds the current exchange. */
    private final class HttpUpstreamInitializer extends ChannelInitializer<SocketChannel> {
        private final UpstreamKey key;

        HttpUpstreamInitializer(UpstreamKey key) {
            this.key = key;
        }

        @Override
        protected void initChannel(SocketChannel ch) {
            ch.attr(KEY).set(key);
            ch.closeFuture().addListener(f -> pool.remove(key, ch));
            ChannelPipeline p = ch.pipeline();
            if (key.tls()) {
                SslHandler ssl = tls.newHandler(ch.alloc(), key.destination().host(), key.destination().port());
                ssl.setHandshakeTimeoutMillis(config.connectTimeoutMillis());
                p.addLast("tls", ssl);
            }
            p.addLast("codec", HttpCodecs.client());
            p.addLast("idle", new IdleStateHandler(0, 0, POOL_IDLE_SECONDS, TimeUnit.SECONDS));
            p.addLast(UpstreamHandler.NAME, new UpstreamHandler());
        }
    }

    @Override
    public void close() {
        resolver.close();
    }
}
