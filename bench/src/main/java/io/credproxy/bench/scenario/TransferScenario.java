package io.credproxy.bench.scenario;

import io.credproxy.bench.AuthVerdict;
import io.credproxy.bench.BenchClients;
import io.credproxy.bench.ExpectedAuth;
import io.credproxy.bench.ProxyMeter;
import io.credproxy.bench.Tally;
import io.credproxy.bench.TargetSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;

/**
 * One large body through the target: an upload (POST, the upstream counts what arrived), a
 * download (GET of a file the upstream serves), or an echoed download (the benchmark's own upstream
 * starts every 64 KiB block with the credential it received, which a redacting proxy must take
 * out of the stream), checked for size and credential.
 *
 * <p>The first round first moves a tenth of the size, unmeasured, to warm the path up. The upload
 * body is one 64 KiB block sent repeatedly with a {@code Content-Length}, so the client spends
 * nothing on producing it.
 */
public final class TransferScenario implements Scenario {
    public enum Direction { UPLOAD, DOWNLOAD, ECHOED_DOWNLOAD }

    private static final byte[] BLOCK = new byte[64 * 1024];
    /** The echoed download's block: one echo at the start of each (BenchUpstreamHandler). */
    private static final int ECHO_BLOCK = 64 * 1024;

    private final String id;
    private final Direction direction;
    private final long bytes;

    public TransferScenario(String id, Direction direction, long bytes) {
        this.id = id;
        this.direction = direction;
        this.bytes = bytes;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Kind kind() {
        return Kind.TRANSFER;
    }

    @Override
    public Tally run(TargetSession session, boolean firstRound) throws InterruptedException {
        HttpClient client = session.clients().pooled();
        try {
            if (firstRound) {
                warmUp(session, client);
            }
            Tally tally = new Tally();
            ProxyMeter meter = session.startMeter();
            long t0 = System.nanoTime();
            transfer(session, client, bytes, tally);
            long elapsed = System.nanoTime() - t0;
            tally.addElapsed(elapsed);
            tally.addUsage(meter.stop());
            return tally;
        } finally {
            BenchClients.close(client);
        }
    }

    /** Moves a tenth of the size, unmeasured (a download asks for a byte range). */
    private void warmUp(TargetSession session, HttpClient client) throws InterruptedException {
        try {
            if (direction == Direction.UPLOAD) {
                upload(session, client, bytes / 10, new Tally());
            } else if (direction == Direction.ECHOED_DOWNLOAD) {
                client.send(HttpRequest.newBuilder(echoedUri(session, bytes / 10))
                        .header("Authorization", session.auth().sentBy(session.target())).timeout(Duration.ofMinutes(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
            } else {
                HttpRequest request = HttpRequest.newBuilder(session.endpoints().download())
                        .header("Authorization", session.auth().sentBy(session.target()))
                        .header("Range", "bytes=0-" + Math.max(0, session.endpoints().downloadBytes() / 10 - 1))
                        .timeout(Duration.ofMinutes(5))
                        .GET()
                        .build();
                client.send(request, HttpResponse.BodyHandlers.discarding());
            }
        } catch (IOException e) {
            // The measured transfer reports the failure.
        }
    }

    private void transfer(TargetSession session, HttpClient client, long size, Tally tally) throws InterruptedException {
        long t0 = System.nanoTime();
        String error;
        try {
            error = direction == Direction.UPLOAD ? upload(session, client, size, tally) : download(session, client, tally);
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        tally.record(System.nanoTime() - t0, error);
    }

    private String upload(TargetSession session, HttpClient client, long size, Tally tally)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(session.endpoints().upload())
                .header("Authorization", session.auth().sentBy(session.target()))
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofByteArrays(() -> blocks(size)), size))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
        if (response.statusCode() != 200) {
            return "status " + response.statusCode();
        }
        String mismatch = ExpectedAuth.mismatch(response.headers().firstValue(AuthVerdict.HEADER).orElse(null));
        if (mismatch != null) {
            return mismatch;
        }
        long received = Long.parseLong(response.body().trim());
        tally.addBytes(received);
        return received == size ? null : "upstream received " + received + " of " + size + " bytes";
    }

    private static URI echoedUri(TargetSession session, long size) {
        return session.endpoints().helper("/download?echo=1&bytes=" + size);
    }

    /** The echoed download's size as the client gets it: each full block's echo redacted by a redacting proxy. */
    private long echoedSize(TargetSession session) {
        return session.target().redacts() ? bytes - (bytes / ECHO_BLOCK) * session.auth().redactionShrink() : bytes;
    }

    private String download(TargetSession session, HttpClient client, Tally tally) throws IOException, InterruptedException {
        boolean echoed = direction == Direction.ECHOED_DOWNLOAD;
        HttpRequest request = HttpRequest.newBuilder(echoed ? echoedUri(session, bytes) : session.endpoints().download())
                .header("Authorization", session.auth().sentBy(session.target()))
                .timeout(Duration.ofMinutes(5))
                .GET()
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long received = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int r; (r = in.read(buffer)) >= 0; ) {
                received += r;
            }
        }
        tally.addBytes(received);
        if (response.statusCode() != 200) {
            return "status " + response.statusCode();
        }
        String mismatch = ExpectedAuth.mismatch(response.headers().firstValue(AuthVerdict.HEADER).orElse(null));
        if (mismatch != null) {
            return mismatch;
        }
        long expected = echoed ? echoedSize(session) : session.endpoints().downloadBytes();
        return received == expected ? null : "received " + received + " of " + expected + " bytes";
    }

    private static Iterator<byte[]> blocks(long size) {
        return new Iterator<>() {
            private long left = size;

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public byte[] next() {
                int n = (int) Math.min(BLOCK.length, left);
                left -= n;
                return n == BLOCK.length ? BLOCK : java.util.Arrays.copyOf(BLOCK, n);
            }
        };
    }
}
