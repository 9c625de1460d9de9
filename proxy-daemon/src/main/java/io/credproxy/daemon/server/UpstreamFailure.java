package io.credproxy.daemon.server;

import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.StageResult;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.Decision;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Why the daemon could not get a response from an upstream, as the client will be told.
 *
 * <p>{@link #classify} maps an exception to a status (502, or 504 for timeouts), an RFC 9209
 * error type, and a short reason the daemon writes itself. The exception's own message is never
 * passed on: it could quote a request.
 */
public record UpstreamFailure(HttpResponseStatus status, String proxyStatus, String reason, Decision decision) {

    /** A failure of the upstream or of the daemon (decision {@code error}). */
    public UpstreamFailure(HttpResponseStatus status, String proxyStatus, String reason) {
        this(status, proxyStatus, reason, Decision.ERROR);
    }

    /** Which failure count this is, from its status and error type; {@code null} for a refusal by policy, which is no failure. */
    /** Counts this failure by kind and records it as the exchange's outcome (decision, status, reason). */
    void recordOn(Exchange exchange, ProxyMetrics metrics) {
        ProxyError kind = kind();
        if (kind != null) {
            metrics.error(kind);
        }
        exchange.decision(decision);
        exchange.status(status.code());
        exchange.reason(reason);
    }

    public ProxyError kind() {
        if (decision == Decision.DENIED) {
            return null;
        }
        if (status.code() == HttpResponseStatus.BAD_REQUEST.code()) {
            return ProxyError.BAD_REQUEST; // the client's fault: a body the daemon could not decode
        }
        if (status.code() == HttpResponseStatus.GATEWAY_TIMEOUT.code()) {
            return ProxyError.TIMEOUT;
        }
        if (proxyStatus.startsWith("tls_")) {
            return ProxyError.UPSTREAM_TLS;
        }
        if (proxyStatus.equals("http_protocol_error") || proxyStatus.equals("connection_terminated")
                || proxyStatus.startsWith("http_response_")) {
            return ProxyError.UPSTREAM_RESPONSE;
        }
        return ProxyError.UPSTREAM_CONNECT;
    }

    /** A stage's answer (a refused address, a refused response) as the failure the client is told. */
    public static UpstreamFailure of(StageResult answer) {
        return new UpstreamFailure(answer.status(), answer.proxyStatus(), answer.reason(), answer.decision());
    }

    /** The client's request body could not be decoded; nothing of it went upstream as complete. */
    public static UpstreamFailure malformedBody() {
        return new UpstreamFailure(HttpResponseStatus.BAD_REQUEST, "http_request_error", "malformed request body");
    }

    public static UpstreamFailure responseTimeout(int millis) {
        return new UpstreamFailure(HttpResponseStatus.GATEWAY_TIMEOUT, "http_response_timeout",
                "upstream did not answer within " + millis + " ms");
    }

    public static UpstreamFailure classify(Throwable cause, HostPort destination, int connectTimeoutMillis) {
        AddressRefusedException refused = findCause(cause, AddressRefusedException.class);
        if (refused != null) {
            return of(refused.answer());
        }
        if (findCause(cause, UpstreamHandler.MalformedResponseException.class) != null) {
            return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "http_protocol_error", "upstream sent a malformed response");
        }
        if (findCause(cause, UnknownHostException.class) != null) {
            return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "dns_error", "upstream host " + destination.host() + " not found");
        }
        if (findCause(cause, ConnectTimeoutException.class) != null) {
            return new UpstreamFailure(HttpResponseStatus.GATEWAY_TIMEOUT, "connection_timeout",
                    "connecting to " + destination + " timed out after " + connectTimeoutMillis + " ms");
        }
        if (findCause(cause, SslHandshakeTimeoutException.class) != null) {
            return new UpstreamFailure(HttpResponseStatus.GATEWAY_TIMEOUT, "tls_protocol_error",
                    "TLS handshake with " + destination + " timed out");
        }
        if (findCause(cause, NoRouteToHostException.class) != null) {
            return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "destination_ip_unroutable", "no route to " + destination);
        }
        if (findCause(cause, ConnectException.class) != null) {
            return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "connection_refused", "upstream " + destination + " refused the connection");
        }
        CertificateException certificate = findCause(cause, CertificateException.class);
        if (certificate != null) {
            return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "tls_certificate_error", certificateReason(certificate, destination));
        }
        if (findCause(cause, SSLHandshakeException.class) != null) {
            return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "tls_protocol_error", "TLS handshake with " + destination + " failed");
        }
        if (findCause(cause, SSLException.class) != null) {
            return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "tls_protocol_error", "TLS error talking to " + destination);
        }
        if (cause == null || findCause(cause, ClosedChannelException.class) != null || findCause(cause, IOException.class) != null) {
            return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "connection_terminated",
                    "upstream " + destination + " closed the connection before answering");
        }
        return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "proxy_internal_error", "cannot reach " + destination);
    }

    private static String certificateReason(CertificateException e, HostPort destination) {
        if (e instanceof CertificateExpiredException) {
            return "upstream certificate of " + destination.host() + " has expired";
        }
        if (e instanceof CertificateNotYetValidException) {
            return "upstream certificate of " + destination.host() + " is not yet valid";
        }
        String message = String.valueOf(e.getMessage());
        // The JDK's hostname check reports a mismatch as a CertificateException with these texts.
        if (message.contains("No subject alternative") || message.contains("No name matching")) {
            return "upstream certificate does not match " + destination.host();
        }
        return "upstream certificate not trusted for " + destination.host();
    }

    static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
