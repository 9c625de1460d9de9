package io.credproxy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.bench.scenario.RequestLoopScenario;
import io.credproxy.bench.scenario.RequestLoopScenario.Mode;
import io.credproxy.bench.scenario.SseScenario;
import io.credproxy.bench.scenario.TransferScenario;
import io.credproxy.bench.scenario.TransferScenario.Direction;
import io.credproxy.bench.upstream.BenchUpstream;
import io.credproxy.daemon.tls.CertificateAuthority;
import io.credproxy.daemon.tls.IssuedCertificate;
import io.credproxy.daemon.tls.LeafCertificateFactory;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario against the benchmark's own upstream, directly: right answers count, wrong
 * credentials count as errors, sizes and events add up. Short runs; speed is not checked here.
 */
class ScenariosTest {
    private static final String SECRET = "Bearer test-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path dir;

    private static BenchUpstream upstream;
    private static Path caPem;

    @BeforeAll
    static void startUpstream() throws Exception {
        CertificateAuthority ca = CertificateAuthority.ephemeral("bench test CA");
        IssuedCertificate leaf = new LeafCertificateFactory(ca).mint("localhost");
        upstream = BenchUpstream.start("127.0.0.1", 0, SslContextBuilder.forServer(leaf.key(), leaf.chain()).build(),
                new ExpectedAuth(SECRET));
        caPem = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    private static TargetSession direct() throws Exception {
        return direct(SECRET);
    }

    private static TargetSession direct(String credential) throws Exception {
        Target target = new Target("direct", null, ProcessHandle.current().pid(), caPem, true);
        String base = "https://localhost:" + upstream.port();
        Endpoints endpoints = new Endpoints(URI.create(base + "/echo"), URI.create(base + "/download?bytes=300000"),
                300_000, URI.create(base + "/upload"), URI.create(base + "/sse"));
        return new TargetSession(new BenchClients(target), new ExpectedAuth(credential), endpoints,
                new ProcessStats(target.pid(), 100));
    }

    @Test
    void keepAliveRequestsAreCountedAndVerified() throws Exception {
        TargetSession session = direct();
        Tally t = new RequestLoopScenario("ka", Mode.KEEP_ALIVE, 4, Duration.ofMillis(200), Duration.ofMillis(200),
                Duration.ofMillis(500)).run(session, true);
        assertThat(t.errors()).isZero();
        assertThat(t.operations()).isGreaterThan(10);
        assertThat(t.perSecond()).isPositive();
        assertThat(t.percentileMillis(50)).isPositive();
        assertThat(t.cpuSeconds()).isPositive();
        assertThat(t.peakRssKib()).isPositive();
        session.clients().close();
    }

    @Test
    void anAnswerWithoutTheCredentialIsAnErrorHoweverFast() throws Exception {
        TargetSession real = direct();
        // An "echo" that answers 200 with an empty body: fast, and wrong.
        Endpoints wrong = new Endpoints(URI.create("https://localhost:" + upstream.port() + "/download?bytes=0"),
                real.endpoints().download(), 0, real.endpoints().upload(), real.endpoints().sse());
        TargetSession session = new TargetSession(real.clients(), real.auth(), wrong, null);
        Tally t = new RequestLoopScenario("ka", Mode.KEEP_ALIVE, 1, Duration.ZERO, Duration.ZERO,
                Duration.ofMillis(200)).run(session, true);
        assertThat(t.operations()).isPositive();
        assertThat(t.errors()).isEqualTo(t.operations());
        assertThat(t.perSecond()).isZero();
        assertThat(t.firstError()).contains("unknown verdict");
        real.clients().close();
    }

    @Test
    void theUpstreamJudgesAWrongCredential() throws Exception {
        // The client sends another value than the upstream expects: the verdict says so.
        TargetSession session = direct(SECRET + "-other");
        Tally t = new RequestLoopScenario("ka", Mode.KEEP_ALIVE, 1, Duration.ZERO, Duration.ZERO,
                Duration.ofMillis(200)).run(session, true);
        assertThat(t.operations()).isPositive();
        assertThat(t.errors()).isEqualTo(t.operations());
        assertThat(t.firstError()).isEqualTo("upstream saw a different Authorization value").doesNotContain(SECRET);
        session.clients().close();
    }

    @Test
    void newConnectionModeMakesAHandshakePerRequest() throws Exception {
        TargetSession session = direct();
        Tally t = new RequestLoopScenario("nc", Mode.NEW_CONNECTION, 2, Duration.ZERO, Duration.ZERO,
                Duration.ofMillis(500)).run(session, true);
        assertThat(t.errors()).isZero();
        assertThat(t.operations()).isGreaterThan(2);
        session.clients().close();
    }

    @Test
    void uploadAndDownloadMoveEveryByte() throws Exception {
        TargetSession session = direct();
        Tally up = new TransferScenario("up", Direction.UPLOAD, 1_000_003).run(session, true);
        assertThat(up.errors()).as(up.firstError()).isZero();
        assertThat(up.bytes()).isEqualTo(1_000_003);
        Tally down = new TransferScenario("down", Direction.DOWNLOAD, 300_000).run(session, false);
        assertThat(down.errors()).as(down.firstError()).isZero();
        assertThat(down.bytes()).isEqualTo(300_000);
        session.clients().close();
    }

    @Test
    void pacedEventsArriveAsSentAndTheRateIsMeasured() throws Exception {
        TargetSession session = direct();
        Tally first = SseScenario.firstEvent("sse", 3).run(session, true);
        assertThat(first.errors()).as(first.firstError()).isZero();
        assertThat(first.streams()).isEqualTo(3);
        assertThat(first.bufferedStreams()).isZero();
        assertThat(first.eventDelayMillis(50)).isNotNaN().isNotNegative();
        Tally rate = SseScenario.rate("rate", 200).run(session, true);
        assertThat(rate.errors()).as(rate.firstError()).isZero();
        assertThat(rate.eventsPerSecond()).isPositive();
        session.clients().close();
    }

    @Test
    void theEchoScenariosCarryTheCredentialBackAndADirectClientGetsItUnredacted() throws Exception {
        TargetSession session = direct();
        Tally down = new TransferScenario("down-echo", Direction.ECHOED_DOWNLOAD, 4 * 65536).run(session, true);
        assertThat(down.errors()).as(down.firstError()).isZero();
        assertThat(down.bytes()).as("a direct connection does not redact").isEqualTo(4 * 65536);
        Tally rate = SseScenario.echoRate("rate-echo", 100).run(session, true);
        assertThat(rate.errors()).as(rate.firstError()).isZero();
        session.clients().close();

        // A target that should redact but passes the echo through fails on every event and on the size.
        Target unredacted = new Target("credproxy", null, ProcessHandle.current().pid(), caPem, true);
        TargetSession pretending = new TargetSession(new BenchClients(unredacted), new ExpectedAuth(SECRET), session.endpoints(), null);
        Tally leakyEvents = SseScenario.echoRate("rate-echo", 20).run(pretending, false);
        assertThat(leakyEvents.errors()).isPositive();
        assertThat(leakyEvents.firstError()).contains("was not redacted").doesNotContain(SECRET);
        Tally leakyDownload = new TransferScenario("down-echo", Direction.ECHOED_DOWNLOAD, 2 * 65536).run(pretending, false);
        assertThat(leakyDownload.firstError()).startsWith("received " + 2 * 65536 + " of ");
        pretending.clients().close();
    }
}
