package io.credproxy.daemon.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An upstream that reads requests byte by byte, as sent, and records for each whether it ended
 * cleanly: a chunked body up to its last chunk and the blank line after it, or a Content-Length
 * body to its last byte. It answers 200 only to a request that ended; a connection that closes
 * first is recorded as cut off. Shares no code with the daemon: it parses HTTP/1.1 framing itself,
 * just enough to tell.
 *
 * <p>The listening socket is bound at construction (its port goes into the daemon's config);
 * {@link #start} begins accepting, with TLS once the test's PKI exists.
 */
final class RawUpstream implements AutoCloseable {
    /** One request as the upstream saw it. */
    record Received(String head, byte[] body, boolean endedCleanly) {
        String text() {
            return head + new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private final ServerSocket server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private volatile SSLContext tls;

    RawUpstream() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Starts accepting; with {@code tls} non-null, each connection is a TLS server socket first. */
    RawUpstream start(SSLContext tlsContext) {
        this.tls = tlsContext;
        Thread t = new Thread(this::acceptLoop, "raw-upstream");
        t.setDaemon(true);
        t.start();
        return this;
    }

    List<Received> received() {
        return received;
    }

    /** Request heads as they arrived, before their bodies. */
    List<String> heads() {
        return heads;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "raw-upstream-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket plain) {
        try (Socket s = tls == null ? plain : wrap(plain)) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                heads.add(head);
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                boolean ended;
                try {
                    ended = readBody(head, in, body);
                } catch (IOException e) {
                    ended = false; // reset or timed out mid-body: cut off too
                }
                received.add(new Received(head, body.toByteArray(), ended));
                if (!ended) {
                    return;
                }
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // a connection the daemon cut: recorded above if a head had arrived
        }
    }

    private Socket wrap(Socket plain) throws IOException {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        s.setUseClientMode(false);
        s.startHandshake();
        return s;
    }

    /** The head up to its blank line, or {@code null} at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                return h;
            }
        }
        return null;
    }

    /** Reads the body as the head frames it into {@code body}; whether it ended as framed. */
    private static boolean readBody(String head, InputStream in, ByteArrayOutputStream body) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.contains("\r\ntransfer-encoding: chunked")) {
            while (true) {
                String sizeLine = readLine(in, body);
                if (sizeLine == null) {
                    return false;
                }
                int semicolon = sizeLine.indexOf(';');
                int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
                if (size == 0) {
                    for (String trailer; (trailer = readLine(in, body)) != null; ) {
                        if (trailer.isEmpty()) {
                            return true;
                        }
                    }
                    return false;
                }
                for (int i = 0; i < size + 2; i++) {
                    int b = in.read();
                    if (b < 0) {
                        return false;
                    }
                    body.write(b);
                }
            }
        }
        int at = lower.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return true;
        }
        long length = Long.parseLong(lower.substring(at + 17, lower.indexOf("\r\n", at + 2)).trim());
        for (long i = 0; i < length; i++) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            body.write(b);
        }
        return true;
    }

    private static String readLine(InputStream in, ByteArrayOutputStream copy) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            copy.write(b);
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
