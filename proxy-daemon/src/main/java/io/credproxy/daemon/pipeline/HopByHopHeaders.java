package io.credproxy.daemon.pipeline;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Removes the headers that belong to one connection and must not be forwarded (RFC 9110 7.6.1).
 *
 * <p>Also removes {@code Proxy-Authorization} (the agent's identity for the daemon, never for the
 * upstream) and {@code Proxy-Connection}. {@code Transfer-Encoding} and {@code Content-Length}
 * stay: they frame the body the daemon streams on unchanged. Headers named in {@code Connection}
 * are removed too, except the framing headers and Host, which a client cannot declare hop-by-hop.
 *
 * <p>{@code TE} is cut down to {@code trailers} when the client offered it, else removed: it says
 * the client takes trailers, which the daemon relays, and it is the one TE value HTTP/2 allows
 * (RFC 9113 8.2.2); gRPC servers refuse a call without it. The {@code x-http2-*} headers are
 * Netty's HTTP/2 conversion headers (stream id, scheme, path, ...): the daemon's own codecs set
 * them, so a copy that came from a client or an upstream is removed before it could steer them.
 */
public final class HopByHopHeaders {
    private static final List<AsciiString> ALWAYS = List.of(
            // Keep-Alive by its literal name: Netty deprecates the constant, yet HTTP/1.1 peers still send it.
            HttpHeaderNames.CONNECTION, AsciiString.cached("keep-alive"), AsciiString.cached("proxy-connection"),
            HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE);
    private static final Set<String> NEVER_BY_TOKEN = Set.of("host", "content-length", "transfer-encoding", "te");
    private static final String NETTY_HTTP2_PREFIX = "x-http2-";

    private HopByHopHeaders() {}

    public static void strip(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
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
        }
        for (AsciiString name : ALWAYS) {
            headers.remove(name);
        }
        keepOnlyTrailersInTe(headers);
        removeNettyHttp2Headers(headers);
    }

    private static void keepOnlyTrailersInTe(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.TE)) {
            return;
        }
        boolean trailers = false;
        for (String value : headers.getAll(HttpHeaderNames.TE)) {
            for (String token : value.split(",")) {
                String coding = token.split(";", 2)[0].trim();
                trailers |= coding.equalsIgnoreCase("trailers");
            }
        }
        headers.remove(HttpHeaderNames.TE);
        if (trailers) {
            headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        }
    }

    private static void removeNettyHttp2Headers(HttpHeaders headers) {
        List<String> netty = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (AsciiString.regionMatches(name, true, 0, NETTY_HTTP2_PREFIX, 0, NETTY_HTTP2_PREFIX.length())) {
                if (netty == null) {
                    netty = new ArrayList<>();
                }
                netty.add(name.toString());
            }
        }
        if (netty != null) {
            netty.forEach(headers::remove);
        }
    }
}
