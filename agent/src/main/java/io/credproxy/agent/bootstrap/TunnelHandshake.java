package io.credproxy.agent.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP CONNECT preamble (RFC 9110 section 9.3.6) that turns a connection to the daemon into a
 * tunnel to the destination the application asked for.
 *
 * <p>Written by hand: it runs inside {@code Socket.connect} of the application's JVM, where no HTTP
 * library can be assumed and the JDK's own clients are themselves instrumented. It is only the
 * request head and the response head; everything after is the application's bytes.
 */
public final class TunnelHandshake {
    /** Longest response head read from the daemon before giving up. */
    static final int MAX_RESPONSE_HEAD = 8192;

    private TunnelHandshake() {}

    /** {@code host:port}, with brackets around an IPv6 literal; the CONNECT request target. */
    public static String authority(String host, int port) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return h + ":" + port;
    }

    /**
     * Sends {@code CONNECT authority} with the app's {@code Proxy-Authorization} and reads the
     * daemon's answer; returns when the tunnel is open.
     *
     * <p>Reads the response head one byte at a time, so that no byte of the tunnel that follows is
     * consumed here.
     *
     * @throws ConnectException when the daemon refuses the tunnel (any status but 2xx)
     * @throws IOException when the connection fails or the answer is not HTTP
     */
    public static void perform(InputStream in, OutputStream out, String authority, String proxyAuthorization)
            throws IOException {
        if (!isSafeAuthority(authority)) {
            throw new ConnectException("credproxy: refusing to tunnel to an invalid destination");
        }
        StringBuilder request = new StringBuilder(128)
                .append("CONNECT ").append(authority).append(" HTTP/1.1\r\n")
                .append("Host: ").append(authority).append("\r\n");
        if (proxyAuthorization != null) {
            request.append("Proxy-Authorization: ").append(proxyAuthorization).append("\r\n");
        }
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();

        String head = readHead(in);
        int lineEnd = head.indexOf("\r\n");
        String statusLine = lineEnd < 0 ? head : head.substring(0, lineEnd);
        int status = statusCode(statusLine);
        if (status < 200 || status > 299) {
            throw new ConnectException("credproxy: the proxy refused the tunnel to " + authority + ": "
                    + printable(statusLine));
        }
    }

    private static String readHead(InputStream in) throws IOException {
        byte[] head = new byte[MAX_RESPONSE_HEAD];
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new ConnectException("credproxy: the proxy closed the connection before answering CONNECT");
            }
            if (length == head.length) {
                throw new ConnectException("credproxy: the proxy's answer to CONNECT is too long");
            }
            head[length++] = (byte) b;
            if (length >= 4 && head[length - 4] == '\r' && head[length - 3] == '\n' && head[length - 2] == '\r'
                    && head[length - 1] == '\n') {
                return new String(head, 0, length, StandardCharsets.ISO_8859_1);
            }
        }
    }

    static int statusCode(String statusLine) throws ConnectException {
        // HTTP/1.1 200 Connection established
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new ConnectException("credproxy: the proxy did not answer CONNECT with HTTP: " + printable(statusLine));
        }
        try {
            return Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new ConnectException("credproxy: the proxy's answer to CONNECT has no status: " + printable(statusLine));
        }
    }

    /** A host name, IPv4 or bracketed IPv6 literal and a port: nothing that could end a header line. */
    static boolean isSafeAuthority(String authority) {
        if (authority.isEmpty() || authority.length() > 300) {
            return false;
        }
        for (int i = 0; i < authority.length(); i++) {
            char c = authority.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']' || c == '%';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 120; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return out.toString();
    }
}
