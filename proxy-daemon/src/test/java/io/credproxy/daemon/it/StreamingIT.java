package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static io.credproxy.daemon.it.DaemonFixture.NO_RULE_PLAIN;
import static io.credproxy.daemon.it.InjectionIT.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.testing.RecordedRequest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Bodies stream through both ways: large uploads and downloads arrive whole, and server-sent
 * events reach the client while the upstream is still sending. (Bounded memory under a small
 * heap is held by {@link BoundedMemoryIT}.)
 */
class StreamingIT extends InProcessDaemonIT {
    static final long SIZE = 64L * 1024 * 1024;

    @Test
    void aChunkedUploadOf64MiBReachesTheUpstreamWithTheCredential() throws Exception {
        HttpResponse<String> response = fx.jdkClient().send(HttpRequest.newBuilder(URI.create("https://" + CLOUDFLARE + "/upload"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(zeros(SIZE))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("POST /upload body=" + SIZE + "\n");
        RecordedRequest seen = single(fx.https.requests());
        assertThat(seen.bodyBytes()).isEqualTo(SIZE);
        assertThat(seen.header("Authorization")).containsExactly("Bearer " + fx.secret("CLOUDFLARE_D1_API_TOKEN"));
    }

    @Test
    void curlUploadWithContentLengthAndExpectContinue() throws Exception {
        Path file = dir.resolve("upload.bin");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(SIZE);
        }
        // curl sends Expect: 100-continue for a body this large and waits for the 100.
        Curl.Result r = fx.curl("--http1.1", "--data-binary", "@" + file, "-H", "Content-Type: application/octet-stream",
                "--expect100-timeout", "20", "https://" + CLOUDFLARE + "/upload");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("POST /upload body=" + SIZE + "\n");
        assertThat(r.headers()).contains("100 Continue");
    }

    @Test
    void aDownloadOf64MiBArrivesWhole() throws Exception {
        HttpResponse<InputStream> response = fx.jdkClient().send(
                HttpRequest.newBuilder(URI.create("https://" + CLOUDFLARE + "/bytes?n=" + SIZE)).build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(drain(response.body())).isEqualTo(SIZE);
    }

    @Test
    void aPlainHttpUploadStreamsToo() throws Exception {
        long size = 16L * 1024 * 1024;
        HttpResponse<String> response = fx.jdkClient().send(HttpRequest.newBuilder(URI.create("http://" + NO_RULE_PLAIN + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(zeros(size))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(single(fx.plain.requests()).bodyBytes()).isEqualTo(size);
    }

    @Test
    void serverSentEventsArriveWhileTheStreamIsStillOpen() throws Exception {
        int events = 5;
        int intervalMs = 400;
        HttpResponse<InputStream> response = fx.jdkClient().send(HttpRequest.newBuilder(
                URI.create("https://" + CLOUDFLARE + "/sse?events=" + events + "&intervalMs=" + intervalMs)).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("data: ")) {
                    arrivals.add(System.nanoTime());
                }
            }
        }
        assertThat(arrivals).hasSize(events);
        // Had the daemon buffered the response, every event would arrive at once, at the end.
        long spreadMs = (arrivals.get(events - 1) - arrivals.get(0)) / 1_000_000;
        assertThat(spreadMs).isGreaterThanOrEqualTo((long) (events - 2) * intervalMs);
    }

    /** Reads a stream to its end and counts the bytes, without keeping them. */
    static long drain(InputStream body) throws java.io.IOException {
        long total = 0;
        try (InputStream in = body) {
            byte[] buffer = new byte[256 * 1024];
            for (int r; (r = in.read(buffer)) >= 0; ) {
                total += r;
            }
        }
        return total;
    }

    /** A stream of {@code n} zero bytes that never exists whole in memory. */
    static Supplier<InputStream> zeros(long n) {
        return () -> new InputStream() {
            long left = n;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                left--;
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int k = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + k, (byte) 0);
                left -= k;
                return k;
            }
        };
    }
}
