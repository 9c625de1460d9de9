package io.credproxy.daemon.server;

import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.wire.ProxyIdentity;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/**
 * Decides from a request head alone what kind of request it is: a CONNECT, a request to forward
 * (and where), or one to reject as malformed for a proxy. No I/O, no policy: the stages decide
 * what may pass.
 *
 * <p>On the proxy port a request must be a CONNECT to {@code host:port} or carry an absolute
 * {@code http://} URL; inside an intercepted tunnel every request goes to the CONNECT target, and a
 * nested CONNECT is refused. The destination comes from the URL or the CONNECT, never from the Host
 * header. The app is the one the agent named on the CONNECT (inside a tunnel) or on this request.
 */
final class RequestRouter {
    private RequestRouter() {}

    /** What to do with one request. */
    sealed interface Route permits Connect, Forward, Reject {}

    /** Open a tunnel (intercepted or opaque, as the stages decide) to {@code target}. */
    record Connect(HostPort target, String app) implements Route {}

    /**
     * Forward the request.
     *
     * @param scheme HTTPS inside an intercepted tunnel, HTTP for an absolute-form URL
     * @param destination the real destination
     * @param target the request-target as sent (for the origin-form path and the authority)
     */
    record Forward(Exchange.Scheme scheme, HostPort destination, RequestTarget target, String app) implements Route {}

    /** Answer with a client error; nothing is connected. */
    record Reject(HttpResponseStatus status, String reason) implements Route {}

    static Route route(HttpRequest request, ClientConnection connection) {
        String app = connection.isIntercepted() ? connection.connectApp() : appOf(request);
        if (request.method().equals(HttpMethod.CONNECT)) {
            if (connection.isIntercepted()) {
                return new Reject(HttpResponseStatus.METHOD_NOT_ALLOWED, "CONNECT inside an intercepted tunnel is not supported");
            }
            try {
                return new Connect(HostPort.parse(request.uri()), app);
            } catch (IllegalArgumentException e) {
                return new Reject(HttpResponseStatus.BAD_REQUEST, "CONNECT needs host:port");
            }
        }
        RequestTarget target;
        try {
            target = RequestTarget.parse(request.uri());
        } catch (IllegalArgumentException e) {
            return new Reject(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        if (connection.isIntercepted()) {
            return new Forward(Exchange.Scheme.HTTPS, connection.connectTarget(), target, app);
        }
        if (!target.isAbsolute()) {
            return new Reject(HttpResponseStatus.BAD_REQUEST, "this is a proxy: send absolute-form http:// URLs or CONNECT");
        }
        if (!target.scheme().equals("http")) {
            return new Reject(HttpResponseStatus.BAD_REQUEST, "only http:// URLs are forwarded in absolute form; use CONNECT for https");
        }
        try {
            return new Forward(Exchange.Scheme.HTTP, HostPort.parse(target.authority(), 80), target, app);
        } catch (IllegalArgumentException e) {
            return new Reject(HttpResponseStatus.BAD_REQUEST, "malformed host in URL");
        }
    }

    /** The app named by the agent's Proxy-Authorization; {@code unknown} without one. */
    static String appOf(HttpRequest request) {
        return claimOf(request).map(ProxyIdentity::app).orElse(ProxyIdentity.UNKNOWN_APP);
    }

    /** What the client claims in Proxy-Authorization (app and token), if it sent a Basic one. */
    static Optional<ProxyIdentity> claimOf(HttpRequest request) {
        return ProxyIdentity.fromHeaderValue(request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION));
    }
}
