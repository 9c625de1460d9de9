package io.credproxy.daemon.it;

import io.credproxy.protocol.wire.ProxyIdentity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A hand-driven h2 client for what real clients will not send: floods of resets, PINGs, SETTINGS
 * or CONTINUATION frames, names that disagree, a window that never opens. It goes through the
 * daemon (CONNECT, then TLS with ALPN {@code h2}) and writes frames itself; header blocks are
 * encoded with Netty's HPACK encoder (names in {@code neverIndexed} as never-indexed literals).
 */
final class RawH2Client implements AutoCloseable {
    static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8,
            CONTINUATION = 9;
    static final int END_STREAM = 0x1, END_HEADERS = 0x4, ACK = 0x1;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A frame as read; a HEADERS frame's block already decoded (HPACK's table is the connection's, so in order). */
    record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers) {}

    /** What came back on one stream: its headers, body and trailers, or the reset code. */
    record Reply(Http2Headers headers, String body, Http2Headers trailers, long resetCode) {
        int status() {
            return headers == null ? 0 : Integer.parseInt(headers.status().toString());
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final DefaultHttp2HeadersEncoder encoder;
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1L << 20);
    private final String alpn;
    private final Map<Integer, Deque<Frame>> unclaimed = new HashMap<>();

    private RawH2Client(Socket socket, String alpn, Set<String> neverIndexed) throws IOException {
        this.socket = socket;
        this.alpn = alpn;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.encoder = new DefaultHttp2HeadersEncoder((name, value) -> neverIndexed.contains(name.toString()));
    }

    /** CONNECTs to {@code authority} as {@code app}, then TLS with server name {@code sni} and ALPN h2; sends the preface and SETTINGS. */
    static RawH2Client open(int proxyPort, String app, String authority, String sni, SSLContext trust, Set<String> neverIndexed)
            throws IOException {
        return open(proxyPort, app, authority, sni, trust, neverIndexed, 0);
    }

    /** @param receiveBuffer the socket's receive buffer in bytes ({@code 0}: the system's), small for a client that never reads */
    static RawH2Client open(int proxyPort, String app, String authority, String sni, SSLContext trust, Set<String> neverIndexed,
            int receiveBuffer) throws IOException {
        Socket plain = new Socket();
        if (receiveBuffer > 0) {
            plain.setReceiveBufferSize(receiveBuffer);
        }
        plain.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), proxyPort));
        plain.setSoTimeout(15_000);
        String identity = app == null ? "" : "Proxy-Authorization: " + new ProxyIdentity(app, "").toHeaderValue() + "\r\n";
        plain.getOutputStream().write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n" + identity + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        String head = readHead(plain.getInputStream());
        if (!head.startsWith("HTTP/1.1 200")) {
            plain.close();
            throw new IOException("CONNECT refused: " + head.lines().findFirst().orElse(""));
        }
        SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(), true);
        SSLParameters params = tls.getSSLParameters();
        params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        params.setApplicationProtocols(new String[] {"h2"});
        tls.setSSLParameters(params);
        tls.startHandshake();
        RawH2Client client = new RawH2Client(tls, tls.getApplicationProtocol(), neverIndexed);
        client.out.write(PREFACE);
        client.frame(SETTINGS, 0, 0, new byte[0]);
        return client;
    }

    /** The protocol the daemon chose by ALPN. */
    String alpn() {
        return alpn;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("proxy closed during CONNECT");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Request headers for {@code path} on {@code authority}. */
    static Http2Headers get(String authority, String path) {
        return new DefaultHttp2Headers().method("GET").scheme("https").authority(authority).path(path);
    }

    void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] header = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length, (byte) type,
            (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        out.write(header);
        out.write(payload);
        out.flush();
    }

    byte[] encode(int stream, Http2Headers headers) throws Http2Exception {
        ByteBuf buf = Unpooled.buffer();
        try {
            encoder.encodeHeaders(stream, headers, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** A header block in a HEADERS frame and, past the default maximum frame size, CONTINUATION frames. */
    void headers(int stream, Http2Headers headers, boolean endStream) throws IOException, Http2Exception {
        byte[] block = encode(stream, headers);
        int max = 16_384;
        int first = Math.min(block.length, max);
        frame(HEADERS, (first == block.length ? END_HEADERS : 0) | (endStream ? END_STREAM : 0), stream,
                java.util.Arrays.copyOfRange(block, 0, first));
        for (int at = first; at < block.length; at += max) {
            int end = Math.min(block.length, at + max);
            frame(CONTINUATION, end == block.length ? END_HEADERS : 0, stream, java.util.Arrays.copyOfRange(block, at, end));
        }
    }

    void data(int stream, byte[] bytes, boolean endStream) throws IOException {
        frame(DATA, endStream ? END_STREAM : 0, stream, bytes);
    }

    void rst(int stream, int code) throws IOException {
        frame(RST_STREAM, 0, stream, new byte[] {0, 0, 0, (byte) code});
    }

    /** The next frame; {@code null} when the daemon closed the connection. */
    Frame read() throws IOException {
        byte[] header = new byte[9];
        try {
            in.readFully(header);
        } catch (EOFException e) {
            return null;
        } catch (IOException e) {
            if (e instanceof SocketTimeoutException) {
                throw e;
            }
            return null; // reset by the daemon
        }
        int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
        int stream = ((header[5] & 0x7f) << 24) | ((header[6] & 0xff) << 16) | ((header[7] & 0xff) << 8) | (header[8] & 0xff);
        byte[] payload = new byte[length];
        in.readFully(payload);
        int type = header[3] & 0xff;
        Http2Headers decoded = null;
        if (type == HEADERS) {
            try {
                decoded = decoder.decodeHeaders(stream, Unpooled.wrappedBuffer(payload));
            } catch (Http2Exception e) {
                throw new IOException("cannot decode the daemon's headers", e);
            }
        }
        Frame frame = new Frame(type, header[4] & 0xff, stream, payload, decoded);
        if (frame.type() == SETTINGS && (frame.flags() & ACK) == 0) {
            try {
                frame(SETTINGS, ACK, 0, new byte[0]);
            } catch (IOException e) {
                // the daemon closed: the caller finds out on the next read
            }
        }
        return frame;
    }

    /** Reads until {@code stream} ends (END_STREAM or RST_STREAM) or the connection closes. */
    Reply await(int stream) throws IOException {
        Http2Headers headers = null;
        Http2Headers trailers = null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Frame f; (f = next(stream)) != null; ) {
            if (f.type() == HEADERS) {
                if (headers == null || headers.status().toString().startsWith("1")) {
                    headers = f.headers();
                } else {
                    trailers = f.headers();
                }
            } else if (f.type() == DATA) {
                body.write(f.payload());
                frame(WINDOW_UPDATE, 0, 0, windowIncrement(f.payload().length));
                if (f.payload().length > 0) {
                    frame(WINDOW_UPDATE, 0, stream, windowIncrement(f.payload().length));
                }
            } else if (f.type() == RST_STREAM) {
                long code = ((f.payload()[0] & 0xffL) << 24) | ((f.payload()[1] & 0xff) << 16) | ((f.payload()[2] & 0xff) << 8)
                        | (f.payload()[3] & 0xff);
                return new Reply(headers, body.toString(StandardCharsets.UTF_8), trailers, code);
            }
            if ((f.type() == HEADERS || f.type() == DATA) && (f.flags() & END_STREAM) != 0) {
                return new Reply(headers, body.toString(StandardCharsets.UTF_8), trailers, -1);
            }
        }
        return new Reply(headers, body.toString(StandardCharsets.UTF_8), trailers, -2);
    }

    /** The next frame of {@code stream}: one read earlier for it, or read now (frames of other streams kept for later). */
    private Frame next(int stream) throws IOException {
        Deque<Frame> kept = unclaimed.get(stream);
        if (kept != null && !kept.isEmpty()) {
            return kept.poll();
        }
        for (Frame f; (f = read()) != null; ) {
            if (f.stream() == stream) {
                return f;
            }
            if (f.stream() != 0) {
                unclaimed.computeIfAbsent(f.stream(), k -> new ArrayDeque<>()).add(f);
            }
        }
        return null;
    }

    private static byte[] windowIncrement(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    /** Reads frames until the daemon sends GOAWAY or closes; the GOAWAY's error code, or -1 for a plain close. */
    long awaitGoAwayOrClose() throws IOException {
        List<Integer> seen = new ArrayList<>();
        for (Frame f; (f = read()) != null; ) {
            seen.add(f.type());
            if (f.type() == GOAWAY) {
                return ((f.payload()[4] & 0xffL) << 24) | ((f.payload()[5] & 0xff) << 16) | ((f.payload()[6] & 0xff) << 8)
                        | (f.payload()[7] & 0xff);
            }
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // the daemon closed first (close_notify finds a broken pipe): nothing left to close
        }
    }
}
