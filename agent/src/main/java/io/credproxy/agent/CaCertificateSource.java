package io.credproxy.agent;

import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The daemon's CA certificate: read from {@code ca=} at start, or fetched once from
 * {@code http://ADMIN/ca.pem}.
 *
 * <p>Kept off the application's start-up path: a {@code ca=} file is read and checked for a PEM
 * certificate at start (a bad file is a bad option: exit 2), but parsed into an
 * {@link X509Certificate} only when a TLS handshake first needs it, since the JDK's certificate
 * machinery costs tens of milliseconds to load. Without {@code ca=} the fetch starts in the background
 * at start-up; the first handshake that needs the CA waits for it (a few seconds at most). If the
 * daemon is down, the answer is "none" and the fetch is tried again, at most every few seconds, when
 * a handshake next needs it: until then intercepted TLS fails, which is failing closed.
 */
final class CaCertificateSource implements Supplier<X509Certificate> {
    private static final int TIMEOUT_MILLIS = 3_000;
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private final String origin;
    private final AdminClient admin;
    private volatile byte[] pem;
    private volatile X509Certificate certificate;
    private byte[] refused; // the PEM that did not parse, so that it is reported once
    private volatile FutureTask<byte[]> pending;
    private volatile long lastAttempt;

    private CaCertificateSource(String origin, AdminClient admin, byte[] pem) {
        this.origin = origin;
        this.admin = admin;
        this.pem = pem;
    }

    /** The CA from a PEM file, read and checked now, parsed when first needed. */
    static CaCertificateSource fromFile(Path file) throws AgentConfigException {
        try {
            byte[] pem;
            // FileInputStream, not Files.readAllBytes: its classes are loaded already, the channel ones are not.
            try (FileInputStream in = new FileInputStream(file.toFile())) {
                pem = in.readAllBytes();
            }
            checkPem(pem);
            return new CaCertificateSource("ca=" + file, null, pem);
        } catch (IOException e) {
            throw new AgentConfigException("ca=" + file + ": not a PEM certificate (" + e.getMessage() + ")");
        }
    }

    /** The CA from the daemon's admin port, fetched in the background from now on. */
    static CaCertificateSource fromAdmin(InetSocketAddress admin) {
        AdminClient client = new AdminClient(admin, TIMEOUT_MILLIS);
        CaCertificateSource source = new CaCertificateSource("http://" + client.hostPort() + "/ca.pem", client, null);
        source.startFetch();
        return source;
    }

    @Override
    public X509Certificate get() {
        X509Certificate known = certificate;
        if (known != null) {
            return known;
        }
        byte[] bytes = pem;
        if (bytes == null && admin != null) {
            bytes = awaitFetch();
        }
        return bytes == null ? null : parsed(bytes);
    }

    private synchronized X509Certificate parsed(byte[] bytes) {
        if (certificate == null && bytes != refused) {
            try {
                certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(bytes));
            } catch (CertificateException | RuntimeException e) {
                refused = bytes;
                System.err.println("credproxy: " + origin + " holds no usable certificate (" + e.getMessage()
                        + "); intercepted TLS fails");
            }
        }
        return certificate;
    }

    private byte[] awaitFetch() {
        FutureTask<byte[]> fetch = pending;
        if (fetch == null || fetch.isDone() && System.nanoTime() - lastAttempt > RETRY_NANOS) {
            fetch = startFetch();
        }
        try {
            return fetch.get(TIMEOUT_MILLIS * 2L, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    private synchronized FutureTask<byte[]> startFetch() {
        // Anonymous classes, not lambdas: this runs in premain, where the first lambda costs start-up time.
        FutureTask<byte[]> fetch = new FutureTask<>(new Callable<byte[]>() {
            @Override
            public byte[] call() {
                try {
                    byte[] fetched = admin.get("/ca.pem");
                    checkPem(fetched);
                    pem = fetched;
                    return fetched;
                } catch (IOException | RuntimeException e) {
                    System.err.println("credproxy: cannot fetch the daemon's CA from " + origin + " (" + e.getMessage()
                            + "); intercepted TLS fails until it can");
                    return null;
                }
            }
        });
        pending = fetch;
        lastAttempt = System.nanoTime();
        Thread thread = new Thread(fetch, "credproxy-ca-fetch");
        thread.setDaemon(true);
        thread.start();
        return fetch;
    }

    /**
     * Checks, cheaply, that {@code pem} holds a PEM certificate: the armour, Base64 inside, and a DER
     * sequence. The full parse waits until a handshake needs it.
     */
    static void checkPem(byte[] pem) throws IOException {
        String text = new String(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf(BEGIN);
        int end = begin < 0 ? -1 : text.indexOf(END, begin);
        if (end < 0) {
            throw new IOException("no " + BEGIN + " ... " + END + " block");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IOException("the certificate block is not Base64");
        }
        if (der.length < 64 || der[0] != 0x30) {
            throw new IOException("the certificate block is not a DER certificate");
        }
    }
}
