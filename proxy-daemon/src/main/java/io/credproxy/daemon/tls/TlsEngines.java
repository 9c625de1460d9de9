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
     * ALPN offering {@code h2} then {@code http/1.1}: the daemon speaks both on both sides, and a
     * peer that knows neither (or no ALPN) gets HTTP/1.1.
     *
     * <p>The TLS 1.2 cipher suites are HTTP/2's (RFC 9113 9.2.2: ECDHE with an AEAD cipher), the
     * ones Netty lists in {@link Http2SecurityUtil#CIPHERS}, so that a client or upstream that
     * picks h2 never meets a suite it must refuse with INADEQUATE_SECURITY. TLS 1.3 suites are all
     * AEAD and stay as the engine has them.
     */
    static SslContextBuilder http(SslContextBuilder builder) {
        return builder.sslProvider(provider())
                .protocols("TLSv1.3", "TLSv1.2")
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
    }
}
