package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static io.credproxy.daemon.it.InjectionIT.single;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies stream with bounded memory: the packaged daemon, limited to a 64 MiB heap and 64 MiB of
 * direct memory, carries an intercepted upload and download four times that size. A daemon that
 * buffered a body whole would run out of memory and cut the transfer.
 */
class BoundedMemoryIT {
    static final long SIZE = 256L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void bodiesFourTimesTheHeapPassThroughAnInterceptedTunnel() throws Exception {
        try (DaemonFixture fx = DaemonFixture.withoutDaemon(dir)) {
            ChildDaemon child = fx.startChild(List.of("-Xmx64m", "-XX:MaxDirectMemorySize=64m"));

            HttpResponse<String> upload = fx.jdkClient().send(HttpRequest.newBuilder(URI.create("https://" + CLOUDFLARE + "/upload"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(StreamingIT.zeros(SIZE))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).isEqualTo(200);
            assertThat(single(fx.https.requests()).bodyBytes()).isEqualTo(SIZE);
            assertThat(single(fx.https.requests()).header("Authorization")).containsExactly("Bearer " + fx.secret("CLOUDFLARE_D1_API_TOKEN"));

            HttpResponse<InputStream> download = fx.jdkClient().send(
                    HttpRequest.newBuilder(URI.create("https://" + CLOUDFLARE + "/bytes?n=" + SIZE)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(StreamingIT.drain(download.body())).isEqualTo(SIZE);

            assertThat(child.isAlive()).isTrue();
            assertThat(child.stderr()).doesNotContain("OutOfMemoryError");
        }
    }
}
