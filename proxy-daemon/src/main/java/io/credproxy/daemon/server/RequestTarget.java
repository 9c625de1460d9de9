package io.credproxy.daemon.server;

import java.util.Locale;

/**
 * The request-target of a request line, split into what the proxy routes on (RFC 9112 3.2).
 *
 * <p>Netty has parsed the request line; this only splits its target. It does not use
 * {@link java.net.URI}, which rejects characters real clients send unencoded in queries
 * ({@code [}, {@code ]}, {@code |}), and it keeps the path and query bytes exactly as sent.
 *
 * @param scheme lower-case scheme of an absolute-form target, {@code null} for origin-form
 * @param authority {@code host[:port]} of an absolute-form target, {@code null} for origin-form
 * @param pathAndQuery origin-form path and query as sent (never empty; fragment dropped)
 */
record RequestTarget(String scheme, String authority, String pathAndQuery) {

    static RequestTarget parse(String uri) {
        if (uri.equals("*")) {
            return new RequestTarget(null, null, "*");
        }
        if (uri.startsWith("/")) {
            return new RequestTarget(null, null, dropFragment(uri));
        }
        int sep = uri.indexOf("://");
        if (sep <= 0 || !isScheme(uri.substring(0, sep))) {
            throw new IllegalArgumentException("request target is neither a path nor an absolute URL");
        }
        String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
        int start = sep + 3;
        int end = start;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        String authority = uri.substring(start, end);
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("URL has no host");
        }
        if (authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("URL carries user info");
        }
        String rest = dropFragment(uri.substring(end));
        if (rest.isEmpty() || rest.charAt(0) != '/') {
            rest = "/" + rest;
        }
        return new RequestTarget(scheme, authority, rest);
    }

    boolean isAbsolute() {
        return authority != null;
    }

    /** The path without the query. */
    String path() {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    private static String dropFragment(String s) {
        int hash = s.indexOf('#');
        return hash < 0 ? s : s.substring(0, hash);
    }

    private static boolean isScheme(String s) {
        if (!Character.isLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
