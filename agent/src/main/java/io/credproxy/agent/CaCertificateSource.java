package io.credproxy.agent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The daemon's CA certificate: read from {@code ca=} at start, or fetched once from
 * {@code http://ADMIN/ca.pem}.
 *
 * <p>The fetch starts in the background at start-up so that it adds nothing to the application's
 * start; the first TLS handshake that needs the CA waits for it (a few seconds at most). If the daemon
 * is down, the answer is "none" and the fetch is tried again, at most every few seconds, when a
 * handshake next needs it: until then intercepted TLS fails, which is failing closed.
 *
 * <p>The GET is written by hand over a plain socket: the JDK's HTTP clients are the ones being
 * instrumented, and the agent carries no HTTP library. It is one request, {@code HTTP/1.0} with
 * {@code Connection: close}, so the body is everything after the head (a chunked answer is decoded
 * too, in case).
 */
final class CaCertificateSource implements Supplier<X509Certificate> {
    private static final int TIMEOUT_MILLIS = 3_000;
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_RESPONSE = 64 * 1024;

    private final InetSocketAddress admin;
    private volatile X509Certificate certificate;
    private volatile CompletableFuture<X509Certificate> pending;
    private volatile long lastAttempt;

    private CaCertificateSource(InetSocketAddress admin, X509Certificate certificate) {
        this.admin = admin;
        this.certificate = certificate;
    }

    /** The CA from a PEM file, read now. */
    static CaCertificateSource fromFile(Path file) throws AgentConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            return new CaCertificateSource(null, parse(in.readAllBytes()));
        } catch (IOException | CertificateException e) {
            throw new AgentConfigException("ca=" + file + ": not a PEM certificate (" + e.getMessage() + ")");
        }
    }

    /** The CA from the daemon's admin port, fetched in the background from now on. */
    static CaCertificateSource fromAdmin(InetSocketAddress admin) {
        CaCertificateSource source = new CaCertificateSource(admin, null);
        source.startFetch();
        return source;
    }

    @Override
    public X509Certificate get() {
        X509Certificate known = certificate;
        if (known != null || admin == null) {
            return known;
        }
        CompletableFuture<X509Certificate> fetch = pending;
        if (fetch == null || fetch.isDone() && System.nanoTime() - lastAttempt > RETRY_NANOS) {
            fetch = startFetch();
        }
        try {
            return fetch.get(TIMEOUT_MILLIS * 2L, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    private synchronized CompletableFuture<X509Certificate> startFetch() {
        CompletableFuture<X509Certificate> fetch = new CompletableFuture<>();
        pending = fetch;
        lastAttempt = System.nanoTime();
        // An anonymous class, not a lambda: this runs in premain, where the first lambda costs start-up time.
        Thread thread = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    X509Certificate fetched = fetch(admin);
                    certificate = fetched;
                    fetch.complete(fetched);
                } catch (IOException | CertificateException | RuntimeException e) {
                    System.err.println("credproxy: cannot fetch the daemon's CA from http://" + hostPort(admin)
                            + "/ca.pem (" + e.getMessage() + "); intercepted TLS fails until it can");
                    fetch.complete(null);
                }
            }
        }, "credproxy-ca-fetch");
        thread.setDaemon(true);
        thread.start();
        return fetch;
    }

    static X509Certificate fetch(InetSocketAddress admin) throws IOException, CertificateException {
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            socket.connect(admin, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ca.pem HTTP/1.0\r\nHost: " + hostPort(admin) + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] response = readAtMost(socket.getInputStream(), MAX_RESPONSE);
            return parse(body(response));
        }
    }

    /** The body of a complete HTTP response; fails unless the status is 200. */
    static byte[] body(byte[] response) throws IOException {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new IOException("incomplete answer");
        }
        String head = text.substring(0, headEnd);
        String statusLine = head.lines().findFirst().orElse("");
        if (!statusLine.matches("HTTP/1\\.[01] 200( .*)?")) {
            throw new IOException("answered '" + statusLine + "'");
        }
        String body = text.substring(headEnd + 4);
        if (head.toLowerCase(Locale.ROOT).contains("\ntransfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return body.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String dechunk(String body) throws IOException {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", at);
            if (lineEnd < 0) {
                throw new IOException("bad chunked body");
            }
            String sizeText = body.substring(at, lineEnd).split(";", 2)[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            if (size == 0) {
                return out.toString();
            }
            int start = lineEnd + 2;
            if (start + size > body.length()) {
                throw new IOException("truncated chunked body");
            }
            out.append(body, start, start + size);
            at = start + size + 2;
        }
    }

    static X509Certificate parse(byte[] pem) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
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

    private static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
