package io.credproxy.protocol.config;

import java.util.Locale;
import java.util.Objects;

/**
 * A host and a port, as written in configuration and in CONNECT authorities ({@code host:port},
 * {@code [v6]:port}).
 *
 * <p>Port 0 is allowed for listen addresses (any free port; tests use it).
 *
 * <p>The host is kept lower-case and without a trailing dot so that two spellings of one
 * destination compare equal: rule matching and reports key on it.
 */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        host = normalizeHost(host);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
    }

    /**
     * Parses {@code host:port}, {@code [ipv6]:port}, or a bare host when {@code defaultPort > 0}.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static HostPort parse(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address");
        }
        String s = text.trim();
        String host;
        String portText = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in address: " + s);
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':port' after ']' in address: " + s);
                }
                portText = rest.substring(1);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw new IllegalArgumentException("IPv6 address must be written [addr]:port: " + s);
            }
            host = colon >= 0 ? s.substring(0, colon) : s;
            portText = colon >= 0 ? s.substring(colon + 1) : null;
        }
        int port;
        if (portText == null) {
            if (defaultPort <= 0) {
                throw new IllegalArgumentException("missing port in address: " + s);
            }
            port = defaultPort;
        } else {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port is not a number in address: " + s);
            }
        }
        return new HostPort(host, port);
    }

    /** Parses {@code host:port}; the port is required. */
    public static HostPort parse(String text) {
        return parse(text, -1);
    }

    /** Lower-cases a host name and drops one trailing dot ({@code Example.COM.} is {@code example.com}). */
    public static String normalizeHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
