package io.credproxy.daemon.egress;

/**
 * A host rule of the {@code egress:} section: {@code github.com}, {@code *.pypi.org:443},
 * {@code *.internal}, {@code [2001:db8::1]:8443}.
 *
 * <p>Same meaning as a credential rule's host: an exact host, or {@code *.suffix} for any name
 * below the suffix (not the suffix itself); an optional port narrows it. The pattern is
 * canonicalised like a request host ({@link HostLiteral}), so {@code Bücher.example} matches the
 * punycode a client sends and {@code 0x7f.1} is {@code 127.0.0.1}. Host rules judge the name the
 * client asked for; the addresses it resolves to are judged by {@link AddressPolicy} whatever the
 * host rules say.
 *
 * @param host the canonical host, or for a wildcard the canonical suffix without {@code *.}
 * @param wildcard whether this is {@code *.host}
 * @param port the port, or {@code null} for any
 */
public record HostPattern(String host, boolean wildcard, Integer port) {

    /**
     * Parses one pattern.
     *
     * @throws IllegalArgumentException naming what is wrong (the caller adds where it is)
     */
    public static HostPattern parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty host pattern");
        }
        String s = text.trim();
        Integer port = null;
        int close = s.lastIndexOf(']');
        int colon = s.lastIndexOf(':');
        boolean hasPort = s.startsWith("[") ? colon > close : colon >= 0 && s.indexOf(':') == colon;
        if (!s.startsWith("[") && colon >= 0 && s.indexOf(':') != colon) {
            throw new IllegalArgumentException("'" + s + "': write IPv6 addresses in brackets, e.g. [2001:db8::1]:443");
        }
        if (hasPort) {
            String portText = s.substring(colon + 1);
            if (!portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
                throw new IllegalArgumentException("'" + s + "': port must be a number from 1 to 65535");
            }
            port = Integer.parseInt(portText);
            s = s.substring(0, colon);
        }
        boolean wildcard = s.startsWith("*.");
        String hostText = wildcard ? s.substring(2) : s;
        if (hostText.contains("*")) {
            throw new IllegalArgumentException("'" + text.trim() + "': '*' is only allowed as the first label, as in *.example.com");
        }
        HostLiteral host;
        try {
            host = HostLiteral.parse(hostText);
        } catch (InvalidHostException e) {
            throw new IllegalArgumentException("'" + text.trim() + "': " + e.getMessage());
        }
        if (wildcard && !(host instanceof HostLiteral.Name)) {
            throw new IllegalArgumentException("'" + text.trim() + "': a wildcard needs a domain name after '*.'");
        }
        return new HostPattern(host.canonical(), wildcard, port);
    }

    /** Whether this pattern covers a canonical host ({@link HostLiteral#canonical()}) and port. */
    public boolean matches(String canonicalHost, int destinationPort) {
        if (port != null && port != destinationPort) {
            return false;
        }
        if (wildcard) {
            return canonicalHost.length() > host.length() + 1
                    && canonicalHost.endsWith(host)
                    && canonicalHost.charAt(canonicalHost.length() - host.length() - 1) == '.';
        }
        return canonicalHost.equals(host);
    }

    /** As written in configuration, canonicalised: {@code *.pypi.org:443}. */
    @Override
    public String toString() {
        String h = (wildcard ? "*." : "") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host);
        return port == null ? h : h + ":" + port;
    }
}
