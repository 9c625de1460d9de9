package io.credproxy.daemon.pipeline;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Removes the headers that belong to one connection and must not be forwarded (RFC 9110 7.6.1).
 *
 * <p>Also removes {@code Proxy-Authorization} (the agent's identity for the daemon, never for the
 * upstream) and {@code Proxy-Connection}. {@code Transfer-Encoding} and {@code Content-Length}
 * stay: they frame the body the daemon streams on unchanged. Headers named in {@code Connection}
 * are removed too, except the framing headers and Host, which a client cannot declare hop-by-hop.
 */
public final class HopByHopHeaders {
    private static final List<AsciiString> ALWAYS = List.of(
            // Keep-Alive by its literal name: Netty deprecates the constant, yet HTTP/1.1 peers still send it.
            HttpHeaderNames.CONNECTION, AsciiString.cached("keep-alive"), AsciiString.cached("proxy-connection"),
            HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE);
    private static final Set<String> NEVER_BY_TOKEN = Set.of("host", "content-length", "transfer-encoding");

    private HopByHopHeaders() {}

    public static void strip(HttpHeaders headers) {
        List<String> named = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !NEVER_BY_TOKEN.contains(name)) {
                    named.add(name);
                }
            }
        }
        for (String name : named) {
            headers.remove(name);
        }
        for (AsciiString name : ALWAYS) {
            headers.remove(name);
        }
    }
}
