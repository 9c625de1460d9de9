package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static io.credproxy.daemon.it.DaemonFixture.DOWN;
import static io.credproxy.daemon.it.DaemonFixture.SLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.daemon.metrics.ProxyError;
import io.credproxy.daemon.tls.CertificateAuthority;
import io.credproxy.daemon.tls.LeafCertificateFactory;
import io.credproxy.daemon.tls.LeafIssuer;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.TestPki;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new host's leaf is minted off the event loops: while one client's handshake waits for a slow
 * mint, a client of an already-cached host on the same (single) event loop is served at once; a
 * mint that fails ends only its own handshake, recorded, and the daemon goes on.
 *
 * <p>The daemon runs with ONE io event loop, so a mint on the loop would hold the second client for
 * the whole {@value #SLOW_MINT_MILLIS} ms; its leaf issuer sleeps that long for {@value DaemonFixture#SLOW},
 * and fails for {@value DaemonFixture#DOWN}, a ruled host no other test here connects to.
 */
class LeafMintingIT {
    // Long against a loaded CI machine: a cached host served through curl must finish well within it.
    private static final long SLOW_MINT_MILLIS = 4000;

    @TempDir
    static Path dir;
    static DaemonFixture fx;
    static final List<String> slowMintThreads = new CopyOnWriteArrayList<>();
    static final CountDownLatch slowMintStarted = new CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        fx = DaemonFixture.start(dir, options -> options.withWorkerThreads(1).withLeafIssuer(LeafMintingIT::slowOrFailing));
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private static LeafIssuer slowOrFailing(CertificateAuthority ca) {
        LeafCertificateFactory real = new LeafCertificateFactory(ca);
        return host -> {
            if (host.equals(SLOW)) {
                slowMintThreads.add(Thread.currentThread().getName());
                slowMintStarted.countDown();
                try {
                    Thread.sleep(SLOW_MINT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (host.equals(DOWN)) {
                throw new IllegalStateException("the CA refused to sign");
            }
            return real.mint(host);
        };
    }

    @Test
    void aCachedHostIsServedAtOnceWhileANewHostsLeafIsMintedOnTheSameLoop() throws Exception {
        fx.startTest();
        assertThat(fx.curl("https://" + CLOUDFLARE + "/warm").status()).as("caches the host's leaf").isEqualTo(200);
        SSLContext trust = TestPki.trusting(fx.daemonCa());

        try (RawClient slow = fx.raw()) {
            assertThat(slow.connect(SLOW + ":443").status()).isEqualTo(200);
            CompletableFuture<Void> slowHandshake = CompletableFuture.runAsync(() -> startTls(slow, trust));
            assertThat(slowMintStarted.await(10, TimeUnit.SECONDS)).as("the slow mint started").isTrue();

            long started = System.nanoTime();
            Curl.Result fast = fx.curl("https://" + CLOUDFLARE + "/during-the-slow-mint");
            long fastMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            boolean slowStillWaiting = !slowHandshake.isDone();

            assertThat(fast.status()).as(fast.stderr()).isEqualTo(200);
            assertThat(fastMillis).as("the cached host's request, made while the slow mint ran").isLessThan(SLOW_MINT_MILLIS / 2);
            assertThat(slowStillWaiting).as("the slow mint was still running when the fast request was done").isTrue();
            slowHandshake.get(10, TimeUnit.SECONDS); // and the slow client got its leaf in the end
        }
        assertThat(slowMintThreads).containsOnly("credproxy-leaf-mint");
    }

    @Test
    void aMintThatFailsEndsOnlyItsHandshakeRecordedAndTheDaemonGoesOn() throws Exception {
        fx.startTest();
        long handshakeErrors = fx.daemon.metrics().errors(ProxyError.TLS_HANDSHAKE);
        for (int attempt = 0; attempt < 2; attempt++) { // nothing cached by the first failure: the second mints (and fails) again
            try (RawClient failing = fx.raw()) {
                assertThat(failing.connect(DOWN + ":443").status()).isEqualTo(200);
                assertThatThrownBy(() -> failing.startTls(TestPki.trusting(fx.daemonCa()), DOWN)).isInstanceOf(SSLException.class);
            }
        }

        List<AuditEvent> events = fx.awaitEvents(2);
        assertThat(events).extracting(AuditEvent::host).containsOnly(DOWN);
        assertThat(events).extracting(AuditEvent::decision).containsOnly(Decision.ERROR);
        assertThat(events).extracting(AuditEvent::reason).containsOnly(
                "client TLS handshake failed: no leaf certificate for down.test: minting failed (IllegalStateException)");
        assertThat(fx.daemon.metrics().errors(ProxyError.TLS_HANDSHAKE)).isEqualTo(handshakeErrors + 2);
        assertThat(fx.curl("https://" + CLOUDFLARE + "/after").status()).as("the daemon goes on").isEqualTo(200);
    }

    private static void startTls(RawClient client, SSLContext trust) {
        try {
            client.startTls(trust, SLOW);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
