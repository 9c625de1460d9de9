package io.credproxy.daemon.server;

import io.credproxy.daemon.identity.Caller;
import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.daemon.pipeline.AuditRecorder;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.Target;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.Decision;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the client's TLS handshake with the daemon's leaf inside an intercepted tunnel: records
 * the server name it sent, starts reading requests once the handshake is done, and when it fails
 * counts, logs and audits the failure and closes the connection.
 */
final class InterceptedHandshake extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardHandler.class);

    private final ProxyContext proxy;
    private final ClientConnection connection;

    InterceptedHandshake(ProxyContext proxy, ClientConnection connection) {
        this.proxy = proxy;
        this.connection = connection;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SniCompletionEvent sni) {
            if (sni.isSuccess()) {
                connection.sniHost(sni.hostname());
            }
        } else if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                ctx.read();
            } else {
                failed(handshake.cause());
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void failed(Throwable cause) {
        String reason = "client TLS handshake failed: " + AuditRecorder.printable(String.valueOf(
                cause == null ? null : cause.getMessage()), 120);
        HostPort target = connection.connectTarget();
        proxy.metrics().error(ProxyError.TLS_HANDSHAKE);
        LOG.warn("app={} client={} TLS handshake for {} failed ({}); does the client trust the credproxy CA?",
                connection.connectApp(), connection.client(), target, reason);
        Caller caller = connection.connectCaller() != null ? connection.connectCaller() : Caller.claimed(connection.connectApp());
        Exchange exchange = Exchange.connect(new Target(connection.connection(), caller, target,
                Target.Kind.CONNECT, "CONNECT", proxy.policies().current()), Exchange.Scheme.HTTPS);
        exchange.decision(Decision.ERROR);
        exchange.reason(reason);
        proxy.stages().onComplete(exchange);
    }
}
