package io.credproxy.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds JDK {@link HttpClient}s for one target: HTTP/1.1 (or HTTP/2 where asked), through the target's proxy (if any),
 * trusting only the target's CA.
 *
 * <p>Trusting exactly one CA per target is part of the check: a proxy that tunnelled instead of
 * intercepting would present the upstream's certificate and fail the handshake.
 */
public final class BenchClients implements AutoCloseable {
    private final Target target;
    private final TrustManager[] trustManagers;
    private final SSLContext sharedContext;
    private final ExecutorService executor;
    private final ExecutorService closer;

    public BenchClients(Target target) throws IOException, GeneralSecurityException {
        this.target = target;
        this.trustManagers = trustManagers(target.trustedCa());
        this.sharedContext = newContext();
        // One executor for all of this target's clients, so a client per request does not start a pool each time.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "client-" + target.name());
            t.setDaemon(true);
            return t;
        });
        this.closer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "client-closer-" + target.name());
            t.setDaemon(true);
            return t;
        });
    }

    public Target target() {
        return target;
    }

    /** A client with a connection pool (keep-alive), sharing this target's TLS session cache. */
    public HttpClient pooled() {
        return builder(sharedContext).build();
    }

    /** A pooled client that asks for HTTP/2 (ALPN {@code h2}): all its requests share one connection. */
    public HttpClient pooledH2() {
        return builder(sharedContext).version(HttpClient.Version.HTTP_2).build();
    }

    /**
     * A client with an empty pool and a TLS context of its own: its first request must open a new
     * connection and make a full handshake (no session to resume).
     */
    public HttpClient fresh() {
        try {
            return builder(newContext()).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpClient.Builder builder(SSLContext context) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .sslContext(context)
                .executor(executor);
        if (target.proxied()) {
            b.proxy(ProxySelector.of(target.proxy()));
        } else {
            b.proxy(HttpClient.Builder.NO_PROXY);
        }
        return b;
    }

    private SSLContext newContext() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers, null);
        return context;
    }

    private static TrustManager[] trustManagers(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            if (i == 0) {
                throw new IOException(caFile + " holds no certificate");
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers();
    }

    /**
     * Closes a client and its connections. {@code HttpClient} is {@link AutoCloseable} from Java 21;
     * on 17 its selector thread ends only once the client is garbage collected.
     */
    public static void close(HttpClient client) {
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing is best effort
            }
        }
    }

    /**
     * Closes a one-request client off the worker's thread: {@code close()} waits for the client's
     * selector thread to end, which is the load generator's cost, not the target's.
     */
    public void closeLater(HttpClient client) {
        closer.execute(() -> close(client));
    }

    @Override
    public void close() {
        closer.shutdown();
        try {
            closer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
