package io.credproxy.daemon.tls;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.Locale;

/**
 * Chooses the TLS implementation of every context the daemon builds: BoringSSL (netty-tcnative)
 * where its native library loads, else the JDK's.
 *
 * <p>Why: an intercepting proxy makes two TLS handshakes per new connection and encrypts every
 * byte twice. On JDK 17 the JDK's P-256 and X25519 arithmetic is pure Java; measured with
 * {@code bench/run.sh}, a new client connection cost credproxy 4.5 CPU seconds per 1,000 with the
 * JDK engine and 1.0 with BoringSSL, and a kept-alive request 0.059 against 0.045 CPU ms.
 *
 * <p>What is checked does not change with the engine: the same JDK PKIX trust manager validates
 * upstream chains (system roots plus {@code extra_ca}), the host name is verified (Netty turns
 * endpoint identification into BoringSSL's own host check, and the JDK trust manager checks it
 * too), and the same protocols and ALPN are offered. {@code -Dcredproxy.tls.engine=jdk} forces
 * the JDK engine, for comparison or if a platform's native library misbehaves.
 */
public final class TlsEngines {
    public static final String PROPERTY = "credproxy.tls.engine";

    private TlsEngines() {}

    /** The provider for new contexts: OpenSSL (BoringSSL) when usable with ALPN, unless the JDK's is asked for. */
    public static SslProvider provider() {
        String wanted = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("jdk")) {
            return SslProvider.JDK;
        }
        return SslProvider.isAlpnSupported(SslProvider.OPENSSL) ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** The engine in use, for the start-up line: {@code BoringSSL} or {@code JDK}. */
    public static String describe() {
        return provider() == SslProvider.OPENSSL ? OpenSsl.versionString() : "JDK";
    }

    /**
     * Applies what both sides of the daemon's TLS share: this engine, TLS 1.3 and 1.2 only, and
     * ALPN offering {@code protocols} in that order (a peer that knows none of them, or no ALPN,
     * gets HTTP/1.1).
     */
    static SslContextBuilder http(SslContextBuilder builder, String... protocols) {
        return builder.sslProvider(provider())
                .protocols("TLSv1.3", "TLSv1.2")
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        protocols));
    }

    /**
     * The server side of intercepted connections: {@code h2} and {@code http/1.1}, and for TLS 1.2
     * HTTP/2's cipher suites only (RFC 9113 9.2.2: ECDHE with an AEAD cipher, Netty's
     * {@link Http2SecurityUtil#CIPHERS}), so that a client that picks h2 never meets a suite it must
     * refuse with INADEQUATE_SECURITY. TLS 1.3 suites are all AEAD and stay as the engine has them.
     * (Upstream connections keep the engine's suites: a TLS 1.2 server with other suites is still
     * reached, over HTTP/1.1 if it must.)
     */
    static SslContextBuilder interceptingServer(SslContextBuilder builder) {
        return http(builder, ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
    }
}
