package io.credproxy.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeafMinterTest {
    private static final LeafCertificateFactory FACTORY = new LeafCertificateFactory(CertificateAuthority.ephemeral("test CA"));

    private final EventLoop loop = new DefaultEventLoop();
    private final GatedIssuer issuer = new GatedIssuer();
    private final ServerSslContexts contexts = new ServerSslContexts(issuer, 100);
    private final AtomicInteger refused = new AtomicInteger();
    private final List<LeafMinter> minters = new ArrayList<>();

    @AfterEach
    void stop() {
        issuer.open();
        minters.forEach(LeafMinter::close);
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aCachedLeafIsAnsweredAtOnceOnTheLoopWithoutTheMintThread() throws Exception {
        LeafMinter minter = minter(LeafMinter.MAX_WAITING);
        SslContext cached = contexts.forHost("cached.example");

        Future<SslContext> answer = onLoop(() -> minter.contextFor("cached.example", loop));

        assertThat(answer.isDone()).as("done when returned").isTrue();
        assertThat(answer.getNow()).isSameAs(cached);
        assertThat(minter.mintTasks()).isZero();
        assertThat(issuer.calls.get()).isEqualTo(1);
    }

    @Test
    void aMissIsMintedOnTheMintThreadAndCompletedOnTheLoop() throws Exception {
        LeafMinter minter = minter(LeafMinter.MAX_WAITING);
        issuer.close();

        Future<SslContext> answer = onLoop(() -> minter.contextFor("new.example", loop));
        List<Boolean> listenerOnLoop = new CopyOnWriteArrayList<>();
        answer.addListener(f -> listenerOnLoop.add(loop.inEventLoop()));
        issuer.awaitEntered(1);
        assertThat(answer.isDone()).as("waits for the mint").isFalse();
        issuer.open();

        assertThat(answer.get(10, TimeUnit.SECONDS)).isSameAs(contexts.cached("new.example"));
        assertThat(issuer.threads).containsExactly(LeafMinter.THREAD_NAME);
        await().atMost(Duration.ofSeconds(5)).until(() -> !listenerOnLoop.isEmpty());
        assertThat(listenerOnLoop).containsExactly(true);
    }

    @Test
    void concurrentMissesForOneHostShareOneMint() throws Exception {
        LeafMinter minter = minter(LeafMinter.MAX_WAITING);
        issuer.close();

        List<Future<SslContext>> answers = onLoop(() -> {
            List<Future<SslContext>> all = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                all.add(minter.contextFor("popular.example", loop));
            }
            return all;
        });
        issuer.awaitEntered(1);
        issuer.open();

        for (Future<SslContext> answer : answers) {
            assertThat(answer.get(10, TimeUnit.SECONDS)).isSameAs(contexts.cached("popular.example"));
        }
        assertThat(issuer.calls.get()).isEqualTo(1);
        assertThat(contexts.minted()).isEqualTo(1);
        assertThat(minter.mintTasks()).isEqualTo(1);
    }

    @Test
    void missesBeyondTheQueueFailAtOnceWhileCachedHostsAreStillAnswered() throws Exception {
        LeafMinter minter = minter(2);
        SslContext cached = contexts.forHost("cached.example");
        issuer.close();
        Future<SslContext> running = onLoop(() -> minter.contextFor("h0.example", loop));
        issuer.awaitEntered(2); // the cached host's mint, then h0's, now held at the gate
        List<Future<SslContext>> queued = onLoop(() -> List.of(minter.contextFor("h1.example", loop),
                minter.contextFor("h2.example", loop)));

        Future<SslContext> flood = onLoop(() -> minter.contextFor("h3.example", loop));
        Future<SslContext> hit = onLoop(() -> minter.contextFor("cached.example", loop));

        assertThat(flood.isDone()).as("refused at once").isTrue();
        assertThat(flood.cause()).isInstanceOf(LeafUnavailableException.class)
                .hasMessage("no leaf certificate for h3.example: 2 new hosts already waiting for one");
        assertThat(refused.get()).isEqualTo(1);
        assertThat(hit.getNow()).isSameAs(cached);
        issuer.open();
        assertThat(running.get(10, TimeUnit.SECONDS)).isNotNull();
        for (Future<SslContext> answer : queued) {
            assertThat(answer.get(10, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(onLoop(() -> minter.contextFor("h3.example", loop)).get(10, TimeUnit.SECONDS))
                .as("refused once, minted when asked again with room").isNotNull();
    }

    @Test
    void aMintThatThrowsFailsItsHandshakesOnlyAndTheNextRequestMintsAgain() throws Exception {
        LeafMinter minter = minter(LeafMinter.MAX_WAITING);
        issuer.failOnce.add("broken.example");

        Future<SslContext> failed = onLoop(() -> minter.contextFor("broken.example", loop));
        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failed.cause()).isInstanceOf(LeafUnavailableException.class)
                .hasMessage("no leaf certificate for broken.example: minting failed (IllegalStateException)")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(contexts.cached("broken.example")).as("nothing cached").isNull();
        assertThat(refused.get()).isZero();

        Future<SslContext> again = onLoop(() -> minter.contextFor("broken.example", loop));
        assertThat(again.get(10, TimeUnit.SECONDS)).isSameAs(contexts.cached("broken.example"));
        assertThat(issuer.calls.get()).isEqualTo(2);
    }

    @Test
    void afterCloseAMissFailsWithoutCountingARefusal() throws Exception {
        LeafMinter minter = minter(LeafMinter.MAX_WAITING);
        minter.close();

        Future<SslContext> answer = onLoop(() -> minter.contextFor("late.example", loop));

        assertThat(answer.cause()).isInstanceOf(LeafUnavailableException.class).hasMessageEndingWith("the daemon is stopping");
        assertThat(refused.get()).isZero();
    }

    private LeafMinter minter(int maxWaiting) {
        LeafMinter minter = new LeafMinter(contexts, refused::incrementAndGet, maxWaiting);
        minters.add(minter);
        return minter;
    }

    private <T> T onLoop(Callable<T> call) throws Exception {
        return loop.submit(call).get(10, TimeUnit.SECONDS);
    }

    /** Mints real leaves; can hold every mint at a gate, and fail a host's first mint. */
    private static final class GatedIssuer implements LeafIssuer {
        final AtomicInteger calls = new AtomicInteger();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final Set<String> failOnce = ConcurrentHashMap.newKeySet();
        private volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public IssuedCertificate mint(String host) {
            calls.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failOnce.remove(host)) {
                throw new IllegalStateException("the CA refused to sign");
            }
            return FACTORY.mint(host);
        }

        void close() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        void awaitEntered(int n) {
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= n);
        }
    }
}
