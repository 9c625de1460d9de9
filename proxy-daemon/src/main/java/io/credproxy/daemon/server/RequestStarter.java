package io.credproxy.daemon.server;

import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.HopByHopHeaders;
import io.credproxy.daemon.pipeline.IdentityStage;
import io.credproxy.daemon.pipeline.StageResult;
import io.credproxy.daemon.pipeline.Target;
import io.credproxy.daemon.pipeline.TargetDecision;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.wire.ProxyIdentity;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one request head into the {@link RequestSink} that takes the rest of the request: the
 * {@link RequestRouter}'s route, the chain's target decision ({@link io.credproxy.daemon.pipeline.TargetHook})
 * and request-head stages, then a forwarded exchange, a CONNECT, or the daemon's own answer.
 *
 * <p>Inside an intercepted tunnel the target was decided on the CONNECT, so only the request-head
 * stages run; on the proxy port an absolute-form request gets its own target decision.
 */
final class RequestStarter {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardHandler.class);

    private final ForwardHandler owner;
    private final ChannelHandlerContext ctx;
    private final ProxyContext proxy;
    private final ClientConnection connection;

    RequestStarter(ForwardHandler owner, ChannelHandlerContext ctx, ProxyContext proxy, ClientConnection connection) {
        this.owner = owner;
        this.ctx = ctx;
        this.proxy = proxy;
        this.connection = connection;
    }

    /** The sink for the rest of this request, or {@code null} when it was malformed and the connection is closing. */
    RequestSink sinkFor(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            rejectMalformed(request);
            return null;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean expectsBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        RequestRouter.Route route = RequestRouter.route(request, connection);
        if (route instanceof RequestRouter.Reject reject) {
            return answer(null, reject.status(), reject.reason(), "http_request_error", keepAlive, expectsBody);
        } else if (route instanceof RequestRouter.Connect connect) {
            Policy policy = proxy.policies().current();
            Optional<ProxyIdentity> claim = RequestRouter.claimOf(request);
            Target target = new Target(connection.connection(), IdentityStage.callerOf(connection.connection(), claim, policy),
                    connect.target(), Target.Kind.CONNECT, "CONNECT", policy);
            Exchange exchange = Exchange.connect(target, Exchange.Scheme.TUNNEL);
            TargetDecision decision = proxy.stages().onTarget(target);
            if (decision.action() == TargetDecision.Action.REFUSE) {
                return refuse(exchange, decision.refusal(), keepAlive, expectsBody);
            }
            return new ConnectHandler(owner, ctx, proxy, connection, exchange, decision.action() == TargetDecision.Action.INTERCEPT,
                    claim, keepAlive);
        } else {
            return forward(request, (RequestRouter.Forward) route, keepAlive, expectsBody);
        }
    }

    private RequestSink forward(HttpRequest request, RequestRouter.Forward route, boolean keepAlive, boolean expectsBody) {
        boolean intercepted = connection.isIntercepted();
        HostPort destination = route.destination();
        boolean clientHttp10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        // Inside a tunnel the CONNECT's claim counts, identified again under the policy in force now.
        Optional<ProxyIdentity> claim = intercepted ? connection.connectClaim() : RequestRouter.claimOf(request);
        // A WebSocket handshake takes over its HTTP/1.1 connection; an h2 stream has none to give (RFC 8441 is not offered).
        boolean webSocket = intercepted && !(ctx.channel() instanceof Http2StreamChannel) && WebSocketUpgrade.isRequested(request);
        HopByHopHeaders.strip(request.headers());
        request.setUri(route.target().pathAndQuery());
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (!intercepted) {
            // The URL decides where the request goes; make the Host header agree (RFC 9112 3.2.2).
            request.headers().set(HttpHeaderNames.HOST, hostHeader(destination, 80));
        }
        Policy policy = proxy.policies().current();
        Target target = new Target(connection.connection(), IdentityStage.callerOf(connection.connection(), claim, policy),
                destination, intercepted ? Target.Kind.INTERCEPTED : Target.Kind.HTTP, request.method().name(), policy);
        Exchange exchange = new Exchange(target, route.scheme(), connection.sniHost(), request, route.target().path(),
                intercepted ? route.target().authority() : null);
        if (webSocket) {
            WebSocketUpgrade.keepHandshake(exchange, request);
        }
        if (!intercepted) {
            TargetDecision decision = proxy.stages().onTarget(target);
            if (decision.action() == TargetDecision.Action.REFUSE) {
                return refuse(exchange, decision.refusal(), keepAlive, expectsBody);
            }
        }
        StageResult result = proxy.stages().onRequest(exchange);
        if (!result.proceeds()) {
            return answer(exchange, result.status(), result.reason(), result.proxyStatus(), keepAlive, expectsBody);
        }
        return new ForwardedExchange(owner, ctx, proxy, exchange, new UpstreamKey(intercepted, destination),
                keepAlive, clientHttp10, expectsBody);
    }

    /** Ends an exchange a target decision refused: recorded with the refusal's decision and reason. */
    private RequestSink refuse(Exchange exchange, StageResult refusal, boolean keepAlive, boolean expectsBody) {
        exchange.decision(refusal.decision());
        exchange.reason(refusal.reason());
        exchange.secretNames().clear();
        return answer(exchange, refusal.status(), refusal.reason(), refusal.proxyStatus(), keepAlive, expectsBody);
    }

    /** Ends a request with a response from the daemon; closes the connection if the client's body would follow. */
    private RequestSink answer(Exchange exchange, HttpResponseStatus status, String reason, String proxyStatus,
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
        return new LocalAnswer(owner, proxy, exchange, close);
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
        ctx.writeAndFlush(ErrorResponses.of(status, reason, "http_request_error", false)).addListener(ChannelFutureListener.CLOSE);
    }

    static String hostHeader(HostPort destination, int defaultPort) {
        String host = destination.host().indexOf(':') >= 0 ? "[" + destination.host() + "]" : destination.host();
        return destination.port() == defaultPort ? host : host + ":" + destination.port();
    }
}
