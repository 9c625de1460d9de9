package io.credproxy.daemon.server;

import io.credproxy.daemon.config.UpstreamConfig;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.StageResult;
import io.credproxy.daemon.tls.UpstreamTls;
import io.credproxy.protocol.config.HostPort;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Opens connections to upstream servers and keeps idle HTTP ones for reuse: idle HTTP/1.1
 * connections in the {@link UpstreamPool}, shared h2 connections in the {@link Http2UpstreamPool}.
 *
 * <p>Each connection is made on the client's event loop ({@code Bootstrap.group(loop)}), with
 * {@code AUTO_READ} off so the proxy reads only as fast as the other side can take it.
 * {@code upstream.resolve} changes only the address dialled: the TLS server name (SNI) and the
 * name the certificate must carry stay the real host. TLS connections are handed out only after
 * the handshake has succeeded, so a request is never written to an unverified server. Between the
 * lookup and the connect, the caller's {@link UpstreamAddressCheck} judges the resolved address.
 *
 * <p>TLS connections offer {@code h2} and {@code http/1.1} by ALPN. When the upstream picks h2 the
 * connection is shared: each exchange gets a stream of it ({@link Http2UpstreamConnection}), which
 * it handles like an HTTP/1.1 connection, so a client on either protocol meets an upstream on
 * either, Netty's codecs translating. Plain {@code http://} upstreams and tunnels stay HTTP/1.1 and
 * raw bytes.
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

    static final AttributeKey<UpstreamKey> KEY = AttributeKey.valueOf("credproxy.upstreamKey");
    private static final AttributeKey<Boolean> POOLED = AttributeKey.valueOf("credproxy.pooled");

    private final UpstreamConfig config;
    private final UpstreamTls tls;
    private final Class<? extends SocketChannel> channelType;
    private final HostResolver resolver = new HostResolver(4);
    private final UpstreamPool pool = new UpstreamPool(MAX_IDLE_PER_KEY);
    private final Http2UpstreamPool http2 = new Http2UpstreamPool();
    private final ProxyMetrics metrics;

    public UpstreamConnector(UpstreamConfig config, UpstreamTls tls, Class<? extends SocketChannel> channelType, ProxyMetrics metrics) {
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
            Future<Channel> reused = reuse(key, loop, check);
            if (reused != null) {
                return reused;
            }
            Future<Channel> connecting = key.tls() ? http2.pending(key) : null;
            if (connecting != null) {
                // A connection to this key is being made and may turn out h2: wait, then look again.
                Promise<Channel> later = loop.newPromise();
                connecting.addListener(f -> cascade(acquire(key, loop, true, check), later));
                return later;
            }
        }
        return connectNew(key, loop, check, tls.negotiated());
    }

    @Override
    public Future<Channel> acquireHttp11(UpstreamKey key, EventLoop loop, UpstreamAddressCheck check) {
        return connectNew(key, loop, check, key.tls() ? tls.http11() : null);
    }

    /** A stream on an h2 connection with room, or an idle pooled HTTP/1.1 connection; {@code null}: none. */
    private Future<Channel> reuse(UpstreamKey key, EventLoop loop, UpstreamAddressCheck check) {
        Http2UpstreamConnection shared = key.tls() ? http2.usable(key) : null;
        Channel pooled = shared != null ? shared.channel() : pool.poll(key);
        if (pooled == null) {
            return null;
        }
        // The policy may have changed since this connection was made: judge its address again.
        StageResult verdict = check == UpstreamAddressCheck.ANY ? StageResult.proceed()
                : check.check((InetSocketAddress) pooled.remoteAddress());
        if (!verdict.proceeds()) {
            if (shared == null) {
                release(pooled);
            }
            return loop.newFailedFuture(new AddressRefusedException(verdict));
        }
        if (shared != null) {
            return shared.openStream(true);
        }
        markPooled(pooled);
        return loop.newSucceededFuture(pooled);
    }

    private Future<Channel> connectNew(UpstreamKey key, EventLoop loop, UpstreamAddressCheck check, SslContext context) {
        Promise<Channel> ready = loop.newPromise();
        Promise<Channel> connected = loop.newPromise();
        connected.addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                ready.tryFailure(f.cause());
            } else if (!key.tls()) {
                ready.trySuccess(f.getNow());
            }
        });
        connect(key.destination(), loop, new UpstreamInitializer(key, ready, context, config.connectTimeoutMillis(), pool), connected, check);
        Promise<Channel> usable = loop.newPromise();
        ready.addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                usable.tryFailure(f.cause());
                return;
            }
            Http2UpstreamConnection h2 = Http2UpstreamConnection.of(f.getNow());
            if (h2 == null) {
                if (key.tls() && context == tls.negotiated()) {
                    http2.markHttp1(key);
                }
                usable.trySuccess(f.getNow());
                return;
            }
            http2.add(key, h2);
            cascade(h2.openStream(false), usable);
        });
        if (key.tls() && context == tls.negotiated() && !http2.knownHttp1(key)) {
            http2.connecting(key, ready);
        }
        return usable;
    }

    private static void cascade(Future<Channel> from, Promise<Channel> to) {
        from.addListener((Future<Channel> f) -> {
            if (f.isSuccess()) {
                if (!to.trySuccess(f.getNow())) {
                    f.getNow().close();
                }
            } else {
                to.tryFailure(f.cause());
            }
        });
    }

    static void markPooled(Channel channel) {
        channel.attr(POOLED).set(Boolean.TRUE);
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
            ChannelFuture connected = bootstrap.connect(DialTarget.of(target));
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

    @Override
    public void close() {
        resolver.close();
    }
}
