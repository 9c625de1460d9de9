package io.credproxy.daemon.server;

import io.credproxy.daemon.limits.RequestHeadGuard;
import io.credproxy.protocol.config.HostPort;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsyncMapping;

/**
 * The decrypting side of an intercepted connection, for a CONNECT on the proxy port and for a
 * transparent listener alike: TLS with a leaf for the destination, then the protocol the client
 * picks by ALPN ({@link ClientProtocolHandler}), behind a head guard that times the handshake and
 * the first request head together.
 *
 * <p>The leaf comes from {@link io.credproxy.daemon.tls.LeafMinter}: at once when cached; otherwise
 * the {@link SniHandler} holds the connection's reads while the leaf is minted on a thread of its own,
 * so a new host never stalls the other connections of this event loop. A connection closed meanwhile
 * (the head guard's timeout counts the wait) ignores the leaf when it comes.
 */
final class InterceptedTls {
    static final String TLS = "tls";

    private InterceptedTls() {}

    /**
     * Adds the handlers after {@code after} ({@code null}: last) and starts the header timer now.
     *
     * @param tunnel records the client's server name; the leaf is always for {@code destination}
     */
    static void install(ChannelPipeline p, String after, ProxyContext proxy, ClientConnection tunnel, HostPort destination) {
        EventLoop loop = p.channel().eventLoop();
        // SniHandler waits on the future returned; the promise it offers is left unused.
        AsyncMapping<String, SslContext> leaf = (hostname, unused) -> {
            tunnel.sniHost(hostname);
            return proxy.leaves().contextFor(destination.host(), loop);
        };
        long backstopMillis = proxy.limits().config().headerTimeoutMillis() + 1000L; // the head guard ends it first
        SniHandler tls = new SniHandler(leaf, backstopMillis) {
            @Override
            protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext context) throws Exception {
                if (!ctx.isRemoved()) { // the connection closed while its leaf was minted
                    super.replaceHandler(ctx, hostname, context);
                }
            }
        };
        if (after == null) {
            p.addLast(TLS, tls);
        } else {
            p.addAfter(after, TLS, tls);
        }
        // With h2 the guard goes once ALPN has chosen (h2 has limits of its own, per stream).
        RequestHeadGuard guard = proxy.limits().headGuard(HttpCodecs.MAX_REQUEST_HEAD);
        p.addAfter(TLS, "alpn", new ClientProtocolHandler(proxy, tunnel, guard));
        p.addAfter("alpn", ClientProtocolHandler.HEAD_GUARD, guard);
        guard.awaitHeadFromNow();
    }
}
