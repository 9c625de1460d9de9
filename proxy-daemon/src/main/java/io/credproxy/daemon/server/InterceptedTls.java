package io.credproxy.daemon.server;

import io.credproxy.daemon.limits.RequestHeadGuard;
import io.credproxy.protocol.config.HostPort;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SniHandler;

/**
 * The decrypting side of an intercepted connection, for a CONNECT on the proxy port and for a
 * transparent listener alike: TLS with a leaf for the destination, then the protocol the client
 * picks by ALPN ({@link ClientProtocolHandler}), behind a head guard that times the handshake and
 * the first request head together.
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
        SniHandler tls = new SniHandler(hostname -> {
            tunnel.sniHost(hostname);
            return proxy.serverContexts().forHost(destination.host());
        }, proxy.limits().config().headerTimeoutMillis() + 1000L); // a backstop: the head guard ends it first
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
