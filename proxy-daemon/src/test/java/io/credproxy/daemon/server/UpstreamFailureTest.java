package io.credproxy.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.protocol.config.HostPort;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class UpstreamFailureTest {
    private static final HostPort DEST = new HostPort("api.example.com", 443);

    private static UpstreamFailure classify(Throwable t) {
        return UpstreamFailure.classify(t, DEST, 1234);
    }

    private static SSLHandshakeException handshake(Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException("handshake failed");
        e.initCause(cause);
        return e;
    }

    @Test
    void eachCauseGetsItsStatusAndReason() {
        assertThat(classify(new UnknownHostException("api.example.com"))).isEqualTo(
                new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "dns_error", "upstream host api.example.com not found"));
        assertThat(classify(new ConnectException("refused")).reason()).isEqualTo("upstream api.example.com:443 refused the connection");
        assertThat(classify(new ConnectTimeoutException("t")).status()).isEqualTo(HttpResponseStatus.GATEWAY_TIMEOUT);
        assertThat(classify(new ConnectTimeoutException("t")).reason()).contains("1234 ms");
        assertThat(classify(handshake(new CertificateException("PKIX path building failed"))).reason())
                .isEqualTo("upstream certificate not trusted for api.example.com");
        assertThat(classify(handshake(new CertificateException("No subject alternative DNS name matching api.example.com found."))).reason())
                .isEqualTo("upstream certificate does not match api.example.com");
        assertThat(classify(handshake(new CertificateExpiredException("expired"))).reason()).contains("has expired");
        assertThat(classify(new SSLHandshakeException("no cipher suites in common")).proxyStatus()).isEqualTo("tls_protocol_error");
        assertThat(classify(null).reason()).contains("closed the connection before answering");
    }

    @Test
    void eachFailureCountsAsOneKind() {
        assertThat(classify(new UnknownHostException("api.example.com")).kind()).isEqualTo(ProxyError.UPSTREAM_CONNECT);
        assertThat(classify(new ConnectException("refused")).kind()).isEqualTo(ProxyError.UPSTREAM_CONNECT);
        assertThat(classify(new ConnectTimeoutException("t")).kind()).isEqualTo(ProxyError.TIMEOUT);
        assertThat(classify(new SslHandshakeTimeoutException("t")).kind()).isEqualTo(ProxyError.TIMEOUT);
        assertThat(UpstreamFailure.responseTimeout(5).kind()).isEqualTo(ProxyError.TIMEOUT);
        assertThat(classify(handshake(new CertificateException("PKIX path building failed"))).kind()).isEqualTo(ProxyError.UPSTREAM_TLS);
        assertThat(classify(new SSLHandshakeException("no cipher suites in common")).kind()).isEqualTo(ProxyError.UPSTREAM_TLS);
        assertThat(classify(null).kind()).isEqualTo(ProxyError.UPSTREAM_RESPONSE);
        assertThat(classify(new UpstreamHandler.MalformedResponseException(null)).kind()).isEqualTo(ProxyError.UPSTREAM_RESPONSE);
    }

    @Test
    void theExceptionsOwnMessageNeverBecomesTheReason() {
        assertThat(classify(new IllegalStateException("Bearer secret-value")).reason()).doesNotContain("secret-value");
        assertThat(classify(handshake(new CertificateException("Bearer secret-value"))).reason()).doesNotContain("secret-value");
    }
}
