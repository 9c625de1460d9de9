package io.credproxy.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Proxy;
import java.net.Socket;
import io.credproxy.agent.bootstrap.DaemonAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP exchange with the daemon's admin port ({@code GET /ca.pem}, {@code POST /events}), over a
 * plain socket.
 *
 * <p>Written by hand on purpose: the JDK's HTTP clients are what the agent instruments (using one here
 * would run the agent's own hooks and, at start, load and weave the client's classes before the
 * application asks for them), and the agent carries no HTTP library. It is the smallest exchange that
 * works: {@code HTTP/1.0} with {@code Connection: close}, so the body is everything after the head; a
 * chunked answer is decoded too, in case. The admin address is always exempt, so the socket fence
 * lets the connection through untouched and reports nothing.
 */
final class AdminClient {
    /** At most this much of an answer is read. */
    static final int MAX_RESPONSE = 64 * 1024;

    private final DaemonAddress admin;
    private final int timeoutMillis;

    /**
     * @param admin the daemon's admin address
     * @param timeoutMillis for the connect, and for each read
     */
    AdminClient(DaemonAddress admin, int timeoutMillis) {
        this.admin = admin;
        this.timeoutMillis = timeoutMillis;
    }

    /** An answer: its status and body. */
    static final class Response {
        final int status;
        final byte[] body;

        Response(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }
    }

    /** {@code GET path}; the body of a 200 answer, else an {@link IOException} naming the status line. */
    byte[] get(String path) throws IOException {
        Response response = exchange("GET", path, null, null);
        if (response.status != 200) {
            throw new IOException("answered " + response.status);
        }
        return response.body;
    }

    /** {@code POST path} with {@code body}; the answer, whatever its status. */
    Response post(String path, String contentType, byte[] body) throws IOException {
        return exchange("POST", path, contentType, body);
    }

    private Response exchange(String method, String path, String contentType, byte[] body) throws IOException {
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            socket.connect(admin.socketAddress(), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            StringBuilder head = new StringBuilder(128).append(method).append(' ').append(path).append(" HTTP/1.0\r\n")
                    .append("Host: ").append(hostPort()).append("\r\n")
                    .append("Connection: close\r\n");
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n")
                        .append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(readAtMost(socket.getInputStream(), MAX_RESPONSE));
        }
    }

    /** A complete HTTP/1.x answer, as read until the server closed the connection. */
    static Response parse(byte[] response) throws IOException {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new IOException("incomplete answer");
        }
        String head = text.substring(0, headEnd);
        int lineEnd = head.indexOf("\r\n");
        String statusLine = lineEnd < 0 ? head : head.substring(0, lineEnd);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new IOException("not an HTTP answer: '" + printable(statusLine, 80) + "'");
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: '" + printable(statusLine, 80) + "'");
        }
        String body = text.substring(headEnd + 4);
        if (head.toLowerCase(Locale.ROOT).contains("\ntransfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Response(status, body.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String dechunk(String body) throws IOException {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", at);
            if (lineEnd < 0) {
                throw new IOException("bad chunked body");
            }
            String sizeText = body.substring(at, lineEnd);
            int extension = sizeText.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((extension < 0 ? sizeText : sizeText.substring(0, extension)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size");
            }
            if (size == 0) {
                return out.toString();
            }
            int start = lineEnd + 2;
            if (size < 0 || start + size > body.length()) {
                throw new IOException("truncated chunked body");
            }
            out.append(body, start, start + size);
            at = start + size + 2;
        }
    }

    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int r; (r = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, r);
            if (out.size() > max) {
                throw new IOException("answer larger than " + max + " bytes");
            }
        }
        return out.toByteArray();
    }

    /** {@code host:port} of the admin address, for the Host header and messages. */
    String hostPort() {
        return admin.toString();
    }

    /** At most {@code max} characters of {@code text}, anything outside printable ASCII as {@code ?}: for messages. */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < max; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return out.toString();
    }
}
