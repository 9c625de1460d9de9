package io.credproxy.agent.bootstrap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * One {@code direct=} entry: a destination the application may reach without the daemon.
 *
 * <p>Forms: a host name ({@code localhost}), a name suffix ({@code *.internal}), an IP literal
 * ({@code 10.0.0.5}, {@code ::1}) or a CIDR block ({@code 127.0.0.0/8}, {@code fd00::/8}), each with
 * an optional port ({@code db.internal:5432}, {@code [::1]:8080}, {@code 10.0.0.0/8:5432}); without a
 * port every port matches. IPv6 with a port must be bracketed.
 *
 * <p>Matching is on what the application <em>asked for</em>: a name rule matches the name, an address
 * rule matches an IP literal. A name that merely resolves to a loopback address is not exempt by the
 * loopback default; otherwise a hosts-file entry or a DNS answer could turn any destination into a
 * "direct" one. This also keeps the check free of DNS look-ups.
 */
public final class DirectRule {
    private final String name;          // lower-case exact name, or null
    private final String suffix;        // ".internal" for "*.internal", or null
    private final byte[] network;       // address rule, or null
    private final int prefixLength;
    private final int port;             // 0 = any

    private DirectRule(String name, String suffix, byte[] network, int prefixLength, int port) {
        this.name = name;
        this.suffix = suffix;
        this.network = network;
        this.prefixLength = prefixLength;
        this.port = port;
    }

    /**
     * Parses one entry.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    public static DirectRule parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty direct entry");
        }
        String host;
        String portText = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in direct entry: " + s);
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':port' after ']' in direct entry: " + s);
                }
                portText = rest.substring(1);
            }
        } else if (s.indexOf(':') != s.lastIndexOf(':')) {
            host = s; // bare IPv6, no port
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            portText = colon < 0 ? null : s.substring(colon + 1);
        }
        int port = 0;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port is not a number in direct entry: " + s);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range 1-65535 in direct entry: " + s);
            }
        }
        host = host.toLowerCase(Locale.ROOT);
        int slash = host.indexOf('/');
        if (slash >= 0) {
            byte[] net = literal(host.substring(0, slash));
            if (net == null) {
                throw new IllegalArgumentException("not an IP network in direct entry: " + s);
            }
            int bits;
            try {
                bits = Integer.parseInt(host.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("prefix length is not a number in direct entry: " + s);
            }
            if (bits < 0 || bits > net.length * 8) {
                throw new IllegalArgumentException("prefix length out of range in direct entry: " + s);
            }
            return new DirectRule(null, null, net, bits, port);
        }
        byte[] address = literal(host);
        if (address != null) {
            return new DirectRule(null, null, address, address.length * 8, port);
        }
        if (host.startsWith("*.") && host.length() > 2 && isHostName(host.substring(2))) {
            return new DirectRule(null, host.substring(1), null, 0, port);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (!isHostName(host)) {
            throw new IllegalArgumentException("not a host name, IP address or network in direct entry: " + s);
        }
        return new DirectRule(host, null, null, 0, port);
    }

    /** Whether a connection the application asked for by {@code host} (a name or an IP literal) may go direct. */
    public boolean matches(String host, int destinationPort) {
        if (port != 0 && port != destinationPort) {
            return false;
        }
        String h = normalize(host);
        if (network != null) {
            byte[] address = literal(h);
            return address != null && inNetwork(address);
        }
        if (name != null) {
            return name.equals(h);
        }
        return h.endsWith(suffix);
    }

    private boolean inNetwork(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /**
     * The bytes of an IPv4 or IPv6 literal, or {@code null} for anything else; never a DNS look-up, and
     * never {@code InetAddress} ({@link IpLiteral}: the rules are parsed in {@code premain}).
     */
    public static byte[] literal(String host) {
        String h = normalize(host);
        int zone = h.indexOf('%');
        return IpLiteral.parse(zone >= 0 ? h.substring(0, zone) : h);
    }

    private static boolean isHostName(String h) {
        if (h.isEmpty() || h.length() > 253) {
            return false;
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        String host = name != null ? name : suffix != null ? "*" + suffix : literalText();
        return port == 0 ? host : host + ":" + port;
    }

    private String literalText() {
        try {
            String text = InetAddress.getByAddress(network).getHostAddress();
            return prefixLength == network.length * 8 ? text : text + "/" + prefixLength;
        } catch (UnknownHostException e) {
            return "?";
        }
    }
}
