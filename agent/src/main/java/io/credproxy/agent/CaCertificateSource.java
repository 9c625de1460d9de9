package io.credproxy.agent;

import io.credproxy.agent.bootstrap.DaemonAddress;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
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
 * machinery costs tens of milliseconds to load. Without {@code ca=} the certificate is fetched when a
 * handshake first needs it (the daemon's chain was rejected by the default trust), on a thread of its
 * own that the handshake waits for (a few seconds at most). Not at start-up: a fetch running there
 * would load socket classes while the agent installs the transformer that must weave them, and most
 * JVMs never need it before their first TLS connection anyway. If the daemon is down, the answer is
 * "none" and the fetch is tried again, at most every few seconds, when a handshake next needs it:
 * until then intercepted TLS fails, which is failing closed.
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
    private FutureTask<byte[]> pending; // guarded by this
    private long lastAttempt; // guarded by this

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

    /** The CA from the daemon's admin port, fetched when first needed. */
    static CaCertificateSource fromAdmin(DaemonAddress admin) {
        AdminClient client = new AdminClient(admin, TIMEOUT_MILLIS);
        return new CaCertificateSource("http://" + client.hostPort() + "/ca.pem", client, null);
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
        FutureTask<byte[]> fetch = currentFetch();
        try {
            return fetch.get(TIMEOUT_MILLIS * 2L, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    /** The fetch under way, or a new one when there is none yet or the last failed long enough ago. */
    private synchronized FutureTask<byte[]> currentFetch() {
        FutureTask<byte[]> fetch = pending;
        if (fetch != null && !(fetch.isDone() && System.nanoTime() - lastAttempt > RETRY_NANOS)) {
            return fetch;
        }
        fetch = new FutureTask<>(new Callable<byte[]>() {
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
