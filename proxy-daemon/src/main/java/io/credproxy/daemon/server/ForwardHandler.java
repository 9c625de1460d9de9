package io.credproxy.daemon.server;

import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.AuditRecorder;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.HopByHopHeaders;
import io.credproxy.daemon.pipeline.StageResult;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.wire.ProxyIdentity;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads client requests one at a time and sends each on its way: forwarded upstream, answered by
 * the daemon, or (on the proxy port) a CONNECT that turns the connection into a tunnel.
 *
 * <p>Used twice: on the proxy port, where requests are absolute-form {@code http://} URLs or
 * CONNECTs, and on the decrypted side of an intercepted tunnel, where every request goes to the
 * CONNECT target. The destination comes from the URL or the CONNECT, never from the Host header.
 *
 * <p>The channel has {@code AUTO_READ} off: the handler reads the next request only when the
 * previous exchange is over, and a request body only as fast as the upstream takes it. One
 * socket read can still hold several decoded messages (a pipelining client); messages for a
 * later request wait in a backlog, which is bounded by that one read.
 */
public final class ForwardHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardHandler.class);

    private final ProxyContext proxy;
    private final ClientConnection connection;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private RequestSink current;
    private boolean closing;
    private boolean detached;

    ForwardHandler(ProxyContext proxy, ClientConnection connection) {
        this.proxy = proxy;
        this.connection = connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        context.read();
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (closing || detached) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (current != null && current.bodyComplete()) {
            backlog.add(msg);
            return;
        }
        dispatch(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (current instanceof ForwardedExchange exchange) {
            exchange.onClientReadComplete();
        }
        context.fireChannelReadComplete();
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            if (current != null) {
                ReferenceCountUtil.release(msg);
                closeNow();
                return;
            }
            startRequest(request);
        } else if (msg instanceof HttpContent content) {
            if (current == null) {
                // The rest of a request already answered: drop it and keep reading to its end.
                boolean last = content instanceof LastHttpContent;
                content.release();
                if (!last) {
                    ctx.read();
                }
                return;
            }
            current.onContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void startRequest(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            rejectMalformed(request);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean expectsBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        String app = connection.isIntercepted() ? connection.connectApp() : appOf(request);

        if (request.method().equals(HttpMethod.CONNECT)) {
            if (connection.isIntercepted()) {
                answer(null, HttpResponseStatus.METHOD_NOT_ALLOWED, "CONNECT inside an intercepted tunnel is not supported",
                        "http_request_error", keepAlive, expectsBody);
                return;
            }
            HostPort target;
            try {
                target = HostPort.parse(request.uri());
            } catch (IllegalArgumentException e) {
                answer(null, HttpResponseStatus.BAD_REQUEST, "CONNECT needs host:port", "http_request_error", keepAlive, expectsBody);
                return;
            }
            start(new ConnectHandler(this, ctx, proxy, connection, target, app, keepAlive));
            return;
        }

        RequestTarget target;
        try {
            target = RequestTarget.parse(request.uri());
        } catch (IllegalArgumentException e) {
            answer(null, HttpResponseStatus.BAD_REQUEST, e.getMessage(), "http_request_error", keepAlive, expectsBody);
            return;
        }
        HostPort destination;
        Exchange.Scheme scheme;
        if (connection.isIntercepted()) {
            destination = connection.connectTarget();
            scheme = Exchange.Scheme.HTTPS;
        } else {
            if (!target.isAbsolute()) {
                answer(null, HttpResponseStatus.BAD_REQUEST,
                        "this is a proxy: send absolute-form http:// URLs or CONNECT", "http_request_error", keepAlive, expectsBody);
                return;
            }
            if (!target.scheme().equals("http")) {
                answer(null, HttpResponseStatus.BAD_REQUEST,
                        "only http:// URLs are forwarded in absolute form; use CONNECT for https", "http_request_error", keepAlive, expectsBody);
                return;
            }
            try {
                destination = HostPort.parse(target.authority(), 80);
            } catch (IllegalArgumentException e) {
                answer(null, HttpResponseStatus.BAD_REQUEST, "malformed host in URL", "http_request_error", keepAlive, expectsBody);
                return;
            }
            scheme = Exchange.Scheme.HTTP;
        }

        boolean clientHttp10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        HopByHopHeaders.strip(request.headers());
        request.setUri(target.pathAndQuery());
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (!connection.isIntercepted()) {
            // The URL decides where the request goes; make the Host header agree (RFC 9112 3.2.2).
            request.headers().set(HttpHeaderNames.HOST, hostHeader(destination, 80));
        }
        Exchange exchange = new Exchange(app, connection.client(), scheme, destination, connection.sniHost(),
                proxy.policies().current(), request, target.path(), connection.isIntercepted() ? target.authority() : null);
        StageResult result = proxy.stages().onRequest(exchange);
        if (!result.proceeds()) {
            answer(exchange, result.status(), result.reason(), result.proxyStatus(), keepAlive, expectsBody);
            return;
        }
        start(new ForwardedExchange(this, ctx, proxy, exchange, new UpstreamKey(connection.isIntercepted(), destination),
                keepAlive, clientHttp10, expectsBody));
    }

    private void start(RequestSink sink) {
        current = sink;
        sink.start();
    }

    /** Ends a request with a response from the daemon; closes the connection if the client's body would follow. */
    private void answer(Exchange exchange, HttpResponseStatus status, String reason, String proxyStatus,
            boolean keepAlive, boolean expectsBody) {
        boolean close = !keepAlive || expectsBody;
        if (exchange != null) {
            exchange.status(status.code());
        } else {
            // Without an exchange the request never got as far as a destination: a client error.
            proxy.metrics().error(ProxyError.BAD_REQUEST);
            LOG.info("app={} client={} refused request: status={} reason=\"{}\"", connection.isIntercepted() ? connection.connectApp() : "-",
                    connection.client(), status.code(), reason);
        }
        ctx.writeAndFlush(ErrorResponses.of(status, reason, proxyStatus, !close));
        start(new LocalAnswer(this, proxy, exchange, close));
    }

    private void rejectMalformed(HttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        HttpResponseStatus status;
        String reason;
        if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            reason = "request headers larger than " + HttpCodecs.MAX_REQUEST_HEADERS + " bytes";
        } else if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
            reason = "request line longer than " + HttpCodecs.MAX_REQUEST_LINE + " bytes";
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
            reason = "malformed request";
        }
        ReferenceCountUtil.release(request);
        proxy.metrics().error(ProxyError.BAD_REQUEST);
        LOG.info("client={} sent a malformed request{}: status={} ({})", connection.client(),
                connection.isIntercepted() ? " to " + connection.connectTarget() : "", status.code(),
                cause == null ? "?" : cause.getClass().getSimpleName());
        closing = true;
        ctx.writeAndFlush(ErrorResponses.of(status, reason, "http_request_error", false)).addListener(ChannelFutureListener.CLOSE);
    }

    /** The app named by the agent's Proxy-Authorization; {@code unknown} without one. */
    static String appOf(HttpRequest request) {
        return ProxyIdentity.fromHeaderValue(request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION))
                .map(ProxyIdentity::app)
                .orElse(ProxyIdentity.UNKNOWN_APP);
    }

    static String hostHeader(HostPort destination, int defaultPort) {
        String host = destination.host().indexOf(':') >= 0 ? "[" + destination.host() + "]" : destination.host();
        return destination.port() == defaultPort ? host : host + ":" + destination.port();
    }

    /** The sink asks for more of the request body (invariant: the backlog is empty while a body is incomplete). */
    void readMore() {
        if (!closing && !detached) {
            ctx.read();
        }
    }

    /** A request is over; go on with the next one, or close. */
    void exchangeFinished(RequestSink sink, boolean close) {
        if (current != sink) {
            return;
        }
        current = null;
        if (close || closing) {
            closeNow();
            return;
        }
        while (!backlog.isEmpty() && (current == null || !current.bodyComplete()) && !closing && !detached) {
            dispatch(backlog.poll());
        }
        if (current == null && !closing && !detached) {
            ctx.read();
        }
    }

    /**
     * The connection stops being HTTP (a tunnel was set up): this handler leaves the pipeline.
     *
     * @return whether nothing was waiting in the backlog (else the client sent data too early)
     */
    boolean detach() {
        detached = true;
        current = null;
        boolean clean = backlog.isEmpty();
        releaseBacklog();
        return clean;
    }

    private void closeNow() {
        closing = true;
        releaseBacklog();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void releaseBacklog() {
        for (Object msg; (msg = backlog.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (current != null) {
            current.onClientWritabilityChanged();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        closing = true;
        RequestSink sink = current;
        current = null;
        releaseBacklog();
        if (sink != null) {
            sink.onClientClosed();
        }
        context.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt instanceof SniCompletionEvent sni) {
            if (sni.isSuccess()) {
                connection.sniHost(sni.hostname());
            }
        } else if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                context.read();
            } else {
                clientHandshakeFailed(handshake.cause());
            }
        }
        context.fireUserEventTriggered(evt);
    }

    private void clientHandshakeFailed(Throwable cause) {
        String reason = "client TLS handshake failed: " + AuditRecorder.printable(String.valueOf(
                cause == null ? null : cause.getMessage()), 120);
        HostPort target = connection.connectTarget();
        proxy.metrics().error(ProxyError.TLS_HANDSHAKE);
        LOG.warn("app={} client={} TLS handshake for {} failed ({}); does the client trust the credproxy CA?",
                connection.connectApp(), connection.client(), target, reason);
        proxy.audit().record(new AuditEvent(System.currentTimeMillis(), connection.connectApp(), connection.client(),
                "CONNECT", Exchange.Scheme.HTTPS.wireName(), target.host(), target.port(), null, Decision.ERROR,
                List.of(), 0, 0, 0, 0, reason));
        closing = true;
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        // Never log the message: a decoder or TLS exception can quote the bytes it choked on.
        LOG.debug("client connection {} failed: {}", connection.client(), cause.getClass().getName());
        closing = true;
        context.close();
    }
}
