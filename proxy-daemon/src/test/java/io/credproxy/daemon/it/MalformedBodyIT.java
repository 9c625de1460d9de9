package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.RAW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.credproxy.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request body the daemon cannot decode ends the exchange on both sides (issue 11): the client
 * gets 400 (nothing of a response was out yet) and its connection closes, and the upstream, which
 * already had the head and the credential, never sees the request end: no last chunk, not the
 * announced length. Before, a malformed chunk size sent the upstream a terminating chunk, the
 * client a 200, and later requests on the connection vanished.
 *
 * <p>The upstream is {@link RawUpstream}, which reads the framing byte by byte and records whether
 * each request ended cleanly. The daemon runs as the unit runs it, at -Xmx256m.
 */
class MalformedBodyIT {
    @TempDir
    static Path dir;
    static RawUpstream plain;
    static RawUpstream tls;
    static HostileWorkload w;

    @BeforeAll
    static void start() throws Exception {
        plain = new RawUpstream();
        tls = new RawUpstream();
        w = HostileWorkload.start(dir, "", Map.of(RAW + ":80", plain.address(), RAW + ":443", tls.address()));
        plain.start(null);
        tls.start(w.fx.pki.serverContext());
    }

    @AfterAll
    static void stop() throws Exception {
        if (w != null) {
            w.close();
        }
        plain.close();
        tls.close();
    }

    @BeforeEach
    void clear() {
        for (RawUpstream u : List.of(plain, tls)) {
            u.received().clear();
            u.heads().clear();
        }
    }

    @Test
    void aMalformedChunkSizeIs400AndTheUpstreamNeverSeesTheRequestEnd() throws Exception {
        try (RawClient client = w.fx.raw()) {
            client.send("POST http://" + RAW + "/upload HTTP/1.1\r\nHost: " + RAW + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n");
            awaitHeadAtUpstream(plain);
            client.send("ZZ\r\nmore\r\n0\r\n\r\nGET http://" + RAW + "/after HTTP/1.1\r\nHost: " + RAW + "\r\n\r\n");

            RawClient.Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).isEqualTo("credproxy: malformed request body\n");
            assertThat(client.closedByPeer()).as("the connection closes: nothing after the bad body is taken as a request").isTrue();
        }
        assertCutOff(plain, "/upload");
        assertThat(plain.received()).noneMatch(r -> r.head().contains("/after"));
    }

    @Test
    void chunkSizesTheCodecRefusesAreCutOffToo() throws Exception {
        for (String bad : List.of("-1", "fffffffffffffffff", "5 5")) {
            clear();
            try (RawClient client = w.fx.raw()) {
                client.send("POST http://" + RAW + "/bad HTTP/1.1\r\nHost: " + RAW + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3\r\nabc\r\n");
                awaitHeadAtUpstream(plain);
                client.send(bad + "\r\nxyz\r\n0\r\n\r\n");

                assertThat(client.readResponse().status()).as("chunk size %s", bad).isEqualTo(400);
            }
            assertCutOff(plain, "/bad");
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthNeverReachesTheUpstreamComplete() throws Exception {
        try (RawClient client = w.fx.raw()) {
            client.send("POST http://" + RAW + "/short HTTP/1.1\r\nHost: " + RAW + "\r\nContent-Length: 100\r\n\r\n0123456789");
            awaitHeadAtUpstream(plain);
            // The client's end of the body, 90 bytes early. The daemon keeps no half-closed
            // connection, so there is no one left to answer: the connection just ends.
            client.shutdownOutput();

            assertThat(client.closedByPeer()).isTrue();
        }
        RawUpstream.Received cut = assertCutOff(plain, "/short");
        assertThat(cut.body()).hasSizeLessThan(100);
    }

    @Test
    void insideAnInterceptedTunnelTheCredentialWentButTheRequestNeverEnded() throws Exception {
        try (RawClient client = w.fx.raw()) {
            assertThat(client.connect(RAW + ":443").status()).isEqualTo(200);
            client.startTls(TestPki.trusting(w.fx.daemonCa()), RAW);
            client.send("POST /upload HTTP/1.1\r\nHost: " + RAW + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            awaitHeadAtUpstream(tls);
            client.send("5;x\r\nhello\r\nnot-hex\r\n0\r\n\r\n");

            assertThat(client.readResponse().status()).isEqualTo(400);
            assertThat(client.closedByPeer()).isTrue();
        }
        RawUpstream.Received cut = assertCutOff(tls, "/upload");
        assertThat(cut.head()).contains("Bearer " + w.fx.secret("PLAIN_TOKEN"));
    }

    @Test
    void aWellFormedChunkedBodyStillEndsCleanly() throws Exception {
        try (RawClient client = w.fx.raw()) {
            client.send("POST http://" + RAW + "/fine HTTP/1.1\r\nHost: " + RAW + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nhello\r\n0\r\n\r\n");

            assertThat(client.readResponse().status()).isEqualTo(200);
        }
        assertThat(plain.received()).singleElement().satisfies(r -> assertThat(r.endedCleanly()).isTrue());
    }

    /** The head (with the credential) reached the upstream before the bad part is sent: the cut-off is what is tested. */
    private static void awaitHeadAtUpstream(RawUpstream upstream) {
        await().atMost(Duration.ofSeconds(5)).until(() -> !upstream.heads().isEmpty());
    }

    private static RawUpstream.Received assertCutOff(RawUpstream upstream, String path) {
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.received().stream().anyMatch(r -> r.head().contains(path)));
        RawUpstream.Received r = upstream.received().stream().filter(x -> x.head().contains(path)).findFirst().orElseThrow();
        assertThat(r.endedCleanly()).as("the upstream saw the request end: %s", r.text()).isFalse();
        assertThat(r.text()).doesNotContain("\r\n0\r\n\r\n");
        return r;
    }
}
