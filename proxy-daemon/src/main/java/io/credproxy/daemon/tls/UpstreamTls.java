package io.credproxy.daemon.tls;

import io.netty.handler.ssl.SslContext;

/**
 * The TLS contexts of upstream connections, one trust between them ({@link UpstreamTrust}).
 *
 * @param negotiated ALPN {@code h2, http/1.1}: every request connection
 * @param http11 ALPN {@code http/1.1} only: a WebSocket handshake's connection
 */
public record UpstreamTls(SslContext negotiated, SslContext http11) {}
