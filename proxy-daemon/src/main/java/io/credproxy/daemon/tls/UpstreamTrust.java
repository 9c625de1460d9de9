package io.credproxy.daemon.tls;

import io.credproxy.daemon.config.ConfigException;
import io.netty.handler.ssl.SslContext;
import java.util.List;

/**
 * The client-side {@link SslContext} for connections to upstreams: the JDK's default trust store
 * plus {@code upstream.extra_ca}, hostname verification on (never trust-all).
 *
 * <p>Callers must create handlers with {@code newHandler(alloc, host, port)} so SNI is sent and the
 * certificate's name is checked against {@code host}.
 */
public final class UpstreamTrust {
    private UpstreamTrust() {}

    public static SslContext clientContext(List<String> extraCaFiles) throws ConfigException {
        throw new UnsupportedOperationException("TODO");
    }
}
