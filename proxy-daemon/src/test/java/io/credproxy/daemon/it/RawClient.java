package io.credproxy.daemon.it;

import io.credproxy.protocol.wire.ProxyIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A hand-driven client for what real clients will not send: a TLS server name that differs from
 * the CONNECT target, malformed or oversized requests. Writes raw bytes; reads one response.
 */
final class RawClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final String app;

    /** @param app the app its CONNECTs name in {@code Proxy-Authorization}; {@code null}: none */
    RawClient(int proxyPort, String app) throws IOException {
        this.app = app;
        socket = new Socket(InetAddress.getLoopbackAddress(), proxyPort);
        socket.setSoTimeout(15_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends CONNECT and reads its answer. */
    Response connect(String authority) throws IOException {
        String identity = app == null ? "" : "Proxy-Authorization: " + new ProxyIdentity(app, "").toHeaderValue() + "\r\n";
        send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n" + identity + "\r\n");
        return readResponse(true);
    }

    /**
     * Starts TLS inside the tunnel, sending {@code sni} as server name ({@code null}: none) and
     * trusting {@code trust}; the certificate's name is not checked (the point is what the daemon
     * does with the names, not what this client accepts).
     */
    void startTls(SSLContext trust, String sni) throws IOException {
        SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        SSLParameters params = tls.getSSLParameters();
        params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        tls.setSSLParameters(params);
        tls.startHandshake();
        socket = tls;
        in = tls.getInputStream();
        out = tls.getOutputStream();
    }

    Response readResponse() throws IOException {
        return readResponse(false);
    }

    private Response readResponse(boolean headOnly) throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line; (line = readLine()) != null && !line.isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (headOnly) {
            return new Response(status, headers, "");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            int n = Integer.parseInt(headers.get("content-length"));
            body.write(in.readNBytes(n));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size; (size = Integer.parseInt(readLine().trim(), 16)) > 0; ) {
                body.write(in.readNBytes(size));
                readLine();
            }
            readLine();
        }
        return new Response(status, headers, body.toString(StandardCharsets.ISO_8859_1));
    }

    /** Every byte the daemon sends until it closes the connection. */
    byte[] readAll() throws IOException {
        return in.readAllBytes();
    }

    /** Ends what this client sends (a half-close); it can still read. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Whether the daemon has closed the connection (reads end of stream). */
    boolean closedByPeer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
