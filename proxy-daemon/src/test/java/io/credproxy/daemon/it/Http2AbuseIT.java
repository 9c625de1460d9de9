package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.H2Fixture.H2;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.it.RawH2Client.Frame;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile workload can do with h2 to an intercepted host, and that the daemon ends it and
 * goes on serving everyone else: rapid reset, CONTINUATION floods, too many streams, huge header
 * lists, a window that never opens, SETTINGS and PING floods. Each test ends with a normal curl
 * request through the same daemon.
 */
class Http2AbuseIT {
    private static final int ENHANCE_YOUR_CALM = 0xb;
    private static final int REFUSED_STREAM = 0x7;
    private static final AtomicInteger APPS = new AtomicInteger();

    @TempDir
    static Path dir;
    static H2Fixture fx;
    String app;

    @BeforeAll
    static void start() throws Exception {
        // A short stall timeout for the flow-control test; read per stream, so set before any traffic.
        System.setProperty("credproxy.h2.stall_timeout_ms", "1500");
        fx = new H2Fixture(dir);
    }

    @AfterAll
    static void stop() {
        System.clearProperty("credproxy.h2.stall_timeout_ms");
        if (fx != null) {
            fx.close();
        }
    }

    @BeforeEach
    void newApp() {
        app = "abuse" + APPS.incrementAndGet();
    }

    @AfterEach
    void theDaemonStillServes() throws Exception {
        Curl.Result r = fx.curl(app + "-after", "--http2", "https://" + H2 + "/still-serving");
        assertThat(r.status()).as("a normal request after the abuse").isEqualTo(200);
        assertThat(r.headers()).contains("HTTP/2 200");
    }

    @Test
    void rapidResetEndsTheConnection() throws Exception {
        try (RawH2Client raw = fx.raw(app, H2, H2)) {
            try {
                for (int i = 0; i < 1000; i++) {
                    int stream = 1 + 2 * i;
                    raw.headers(stream, RawH2Client.get(H2, "/delay?ms=2000"), true);
                    raw.rst(stream, 0x8);
                }
            } catch (IOException closedWhileWriting) {
                // the daemon may already have closed: what we want
            }
            assertThat(raw.awaitGoAwayOrClose()).isIn((long) ENHANCE_YOUR_CALM, -1L);
        }
    }

    @Test
    void aFloodOfTinyContinuationFramesEndsTheConnection() throws Exception {
        try (RawH2Client raw = fx.raw(app, H2, H2)) {
            byte[] block = raw.encode(1, RawH2Client.get(H2, "/continuation").add("x-pad", "p".repeat(4000)));
            raw.frame(RawH2Client.HEADERS, 0, 1, slice(block, 0, 1));
            try {
                for (int i = 1; i < 1000 && i < block.length - 1; i++) {
                    raw.frame(RawH2Client.CONTINUATION, 0, 1, slice(block, i, 1));
                }
            } catch (IOException closedWhileWriting) {
                // expected once the limit is hit
            }
            assertThat(raw.awaitGoAwayOrClose()).isNotEqualTo(0L);
        }
    }

    @Test
    void aHeaderBlockThatNeverEndsIsCutOffAtTheHeaderLimit() throws Exception {
        try (RawH2Client raw = fx.raw(app, H2, H2)) {
            byte[] chunk = new byte[16_000];
            raw.frame(RawH2Client.HEADERS, 0, 1, raw.encode(1, RawH2Client.get(H2, "/big")));
            try {
                for (int i = 0; i < 100; i++) {
                    raw.frame(RawH2Client.CONTINUATION, 0, 1, chunk); // 1.6 MB of a header block, never ended
                }
            } catch (IOException closedWhileWriting) {
                // expected
            }
            assertThat(raw.awaitGoAwayOrClose()).isNotEqualTo(0L);
        }
    }

    @Test
    void aHeaderListOverTheLimitGets431OnItsStreamAndTheConnectionGoesOn() throws Exception {
        try (RawH2Client raw = fx.raw(app, H2, H2)) {
            Http2Headers huge = RawH2Client.get(H2, "/huge").add("x-big", "b".repeat(34_000));
            raw.headers(1, huge, true);
            raw.headers(3, RawH2Client.get(H2, "/after-huge"), true);

            RawH2Client.Reply refused = raw.await(1);
            RawH2Client.Reply next = raw.await(3);

            assertThat(refused.status() == 431 || refused.resetCode() >= 0).as("431 or a reset: %s", refused).isTrue();
            assertThat(next.status()).isEqualTo(200);
        }
    }

    @Test
    void streamsBeyondTheLimitAreRefusedAndTheOthersServed() throws Exception {
        try (RawH2Client raw = fx.raw(app, H2, H2)) {
            for (int i = 0; i < 130; i++) {
                raw.headers(1 + 2 * i, RawH2Client.get(H2, "/delay?ms=1500&i=" + i), true);
            }
            List<RawH2Client.Reply> replies = new ArrayList<>();
            for (int i = 0; i < 130; i++) {
                replies.add(raw.await(1 + 2 * i));
            }
            long served = replies.stream().filter(r -> r.status() == 200).count();
            long refused = replies.stream().filter(r -> r.resetCode() == REFUSED_STREAM).count();
            assertThat(served).isGreaterThanOrEqualTo(100);
            assertThat(refused).isGreaterThanOrEqualTo(1);
            assertThat(served + refused).isEqualTo(130);
        }
    }

    @Test
    void aStreamWhoseWindowNeverOpensIsResetAfterTheStallTimeout() throws Exception {
        try (RawH2Client raw = fx.raw(app, H2, H2)) {
            raw.headers(1, RawH2Client.get(H2, "/bytes?n=1000000"), true);
            long started = System.nanoTime();
            long dataBytes = 0;
            Frame reset = null;
            for (Frame f; (f = raw.read()) != null; ) {
                if (f.stream() == 1 && f.type() == RawH2Client.DATA) {
                    dataBytes += f.payload().length; // never acknowledged: no WINDOW_UPDATE
                } else if (f.stream() == 1 && f.type() == RawH2Client.RST_STREAM) {
                    reset = f;
                    break;
                }
            }
            assertThat(reset).as("the stalled stream is reset").isNotNull();
            assertThat(dataBytes).isLessThanOrEqualTo(65_535);
            assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(1_000);
            // The connection itself goes on.
            raw.headers(3, RawH2Client.get(H2, "/after-stall"), true);
            assertThat(raw.await(3).status()).isEqualTo(200);
        }
    }

    @Test
    void aPingFloodFromAClientThatNeverReadsEndsTheConnection() throws Exception {
        flood(RawH2Client.PING, new byte[8]);
    }

    @Test
    void aSettingsFloodFromAClientThatNeverReadsEndsTheConnection() throws Exception {
        flood(RawH2Client.SETTINGS, new byte[0]);
    }

    private void flood(int type, byte[] payload) throws Exception {
        try (RawH2Client raw = fx.rawNotReading(app, H2)) {
            boolean cut = false;
            try {
                for (int i = 0; i < 400_000; i++) {
                    raw.frame(type, 0, 0, payload);
                }
            } catch (IOException closedWhileWriting) {
                cut = true;
            }
            if (!cut) {
                assertThat(raw.awaitGoAwayOrClose()).isNotEqualTo(0L);
            }
        }
    }

    private static byte[] slice(byte[] b, int from, int len) {
        byte[] out = new byte[len];
        System.arraycopy(b, from, out, 0, len);
        return out;
    }
}
