package io.credproxy.daemon.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.daemon.identity.PeerUidResolver;
import io.credproxy.daemon.identity.PeerUser;
import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.secrets.Secrets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hook 1's counts: in all and per peer, the peer being the address, or the local user the kernel names
 * when identification is on; exact when answers and closes race.
 */
class ConnectionLimitStageTest {
    private final LimitMetrics metrics = new LimitMetrics(new SimpleMeterRegistry());

    private static Connection from(String ip, int port) {
        return new Connection(new InetSocketAddress(ip, port), ip + ":" + port);
    }

    @Test
    void oneAddressGetsItsShareAndNoMoreWhileOthersStillGetIn() {
        ConnectionLimitStage stage = new ConnectionLimitStage(4, 2, metrics);
        Connection a1 = from("127.0.0.2", 1);
        assertThat(stage.onConnectionOpened(a1)).isTrue();
        assertThat(stage.onConnectionOpened(from("127.0.0.2", 2))).isTrue();
        assertThat(stage.onConnectionOpened(from("127.0.0.2", 3))).as("a third from the same peer").isFalse();
        assertThat(stage.onConnectionOpened(from("127.0.0.1", 4))).isTrue();
        assertThat(stage.onConnectionOpened(from("127.0.0.3", 5))).isTrue();
        assertThat(stage.onConnectionOpened(from("127.0.0.4", 6))).as("the fifth in all").isFalse();
        assertThat(stage.full()).isTrue();
        assertThat(metrics.rejections(Limit.MAX_CONNECTIONS_PER_PEER)).isEqualTo(1);
        assertThat(metrics.rejections(Limit.MAX_CONNECTIONS)).isEqualTo(1);

        stage.onConnectionClosed(a1);

        assertThat(stage.connections()).isEqualTo(3);
        assertThat(stage.onConnectionOpened(from("127.0.0.2", 7))).isTrue();
    }

    @Test
    void aRefusedConnectionOrOneClosedTwiceDoesNotReleaseAnotherOnesSlot() {
        ConnectionLimitStage stage = new ConnectionLimitStage(1, 1, metrics);
        Connection in = from("127.0.0.1", 1);
        Connection refused = from("127.0.0.1", 2);
        assertThat(stage.onConnectionOpened(in)).isTrue();
        assertThat(stage.onConnectionOpened(refused)).isFalse();

        stage.onConnectionClosed(refused); // the chain tells every stage, refusers included
        assertThat(stage.connections()).isEqualTo(1);
        stage.onConnectionClosed(in);
        stage.onConnectionClosed(in);
        assertThat(stage.connections()).isZero();
    }

    /** A connection whose user {@link IdentityStage} is still looking up, as that stage leaves it. */
    private static Connection awaiting(String ip, int port, CompletableFuture<PeerUser> lookup) {
        Connection c = from(ip, port);
        c.attr(IdentityStage.PEER_USER_LOOKUP).set(lookup);
        c.readAfter(lookup);
        return c;
    }

    private static boolean admitted(Connection c) {
        assertThat(c.readable()).isDone();
        return !c.readable().isCompletedExceptionally();
    }

    @Test
    void withIdentificationEachLocalUserGetsItsOwnShareOnTheOneAddress() {
        ConnectionLimitStage stage = new ConnectionLimitStage(10, 2, metrics);
        List<CompletableFuture<PeerUser>> lookups = new ArrayList<>();
        List<Connection> hog = new ArrayList<>();
        for (int port = 1; port <= 3; port++) {
            CompletableFuture<PeerUser> lookup = new CompletableFuture<>();
            lookups.add(lookup);
            Connection c = awaiting("127.0.0.1", port, lookup);
            assertThat(stage.onConnectionOpened(c)).as("the share waits for the uid").isTrue();
            assertThat(c.readable()).as("nothing is read before the user is counted").isNotDone();
            hog.add(c);
        }
        lookups.forEach(l -> l.complete(PeerUser.of(1001)));
        CompletableFuture<PeerUser> otherLookup = new CompletableFuture<>();
        Connection other = awaiting("127.0.0.1", 4, otherLookup);
        assertThat(stage.onConnectionOpened(other)).isTrue();
        otherLookup.complete(PeerUser.of(1002));

        assertThat(admitted(hog.get(0))).isTrue();
        assertThat(admitted(hog.get(1))).isTrue();
        assertThat(admitted(hog.get(2))).as("uid 1001's third, over its share of 2").isFalse();
        assertThat(admitted(other)).as("another user on the same address still gets in").isTrue();
        assertThat(metrics.rejections(Limit.MAX_CONNECTIONS_PER_PEER)).isEqualTo(1);
        assertThat(stage.connections()).as("the refused one holds the total until it closes").isEqualTo(4);

        stage.onConnectionClosed(hog.get(2));
        assertThat(stage.connections()).isEqualTo(3);
        stage.onConnectionClosed(hog.get(0));
        Connection again = awaiting("127.0.0.1", 5, CompletableFuture.completedFuture(PeerUser.of(1001)));
        assertThat(stage.onConnectionOpened(again)).as("a closed one gives its user's slot back").isTrue();
        Connection oneTooMany = awaiting("127.0.0.1", 6, CompletableFuture.completedFuture(PeerUser.of(1001)));
        assertThat(stage.onConnectionOpened(oneTooMany)).as("an answer already there is decided at open").isFalse();
    }

    @Test
    void aConnectionClosedBeforeItsUserIsKnownGivesBackOnlyWhatItTook() {
        ConnectionLimitStage stage = new ConnectionLimitStage(10, 1, metrics);
        CompletableFuture<PeerUser> lookup = new CompletableFuture<>();
        Connection gone = awaiting("127.0.0.1", 1, lookup);
        assertThat(stage.onConnectionOpened(gone)).isTrue();

        stage.onConnectionClosed(gone);
        assertThat(stage.connections()).isZero();
        lookup.complete(PeerUser.of(1001)); // the answer arrives after the close
        stage.onConnectionClosed(gone);

        assertThat(stage.connections()).isZero();
        assertThat(metrics.rejections(Limit.MAX_CONNECTIONS_PER_PEER)).isZero();
        Connection next = awaiting("127.0.0.1", 2, CompletableFuture.completedFuture(PeerUser.of(1001)));
        assertThat(stage.onConnectionOpened(next)).as("the late answer left no share behind").isTrue();
        Connection third = awaiting("127.0.0.1", 3, CompletableFuture.completedFuture(PeerUser.of(1001)));
        assertThat(stage.onConnectionOpened(third)).as("and the next one did take it").isFalse();
        stage.onConnectionClosed(next);
        stage.onConnectionClosed(third);
        assertThat(stage.connections()).isZero();
    }

    @Test
    void aPeerWhoseUserIsUnknownKeepsItsAddressAsKey() {
        ConnectionLimitStage stage = new ConnectionLimitStage(10, 1, metrics);
        Connection failed = awaiting("127.0.0.1", 1, CompletableFuture.completedFuture(PeerUser.unknown("lookup failed")));
        Connection failedToo = awaiting("127.0.0.1", 2, CompletableFuture.completedFuture(PeerUser.unknown("not found")));
        Connection known = awaiting("127.0.0.1", 3, CompletableFuture.completedFuture(PeerUser.of(1001)));
        Connection remote = awaiting("192.0.2.7", 4, CompletableFuture.completedFuture(PeerUser.unknown("not a loopback peer")));

        assertThat(stage.onConnectionOpened(failed)).isTrue();
        assertThat(stage.onConnectionOpened(failedToo)).as("unknown users on one address share its share").isFalse();
        assertThat(stage.onConnectionOpened(known)).as("a known uid is its own peer, not the address").isTrue();
        assertThat(stage.onConnectionOpened(remote)).isTrue();
        assertThat(metrics.rejections(Limit.MAX_CONNECTIONS_PER_PEER)).isEqualTo(1);
    }

    @Test
    void aLookupThatFailsClosesTheConnectionAndItsTotalGoesAtTheClose() {
        ConnectionLimitStage stage = new ConnectionLimitStage(10, 1, metrics);
        CompletableFuture<PeerUser> lookup = new CompletableFuture<>();
        Connection c = awaiting("127.0.0.1", 1, lookup);
        assertThat(stage.onConnectionOpened(c)).isTrue();

        lookup.completeExceptionally(new IllegalStateException("test"));

        assertThat(admitted(c)).isFalse();
        stage.onConnectionClosed(c);
        assertThat(stage.connections()).isZero();
        assertThat(stage.onConnectionOpened(from("127.0.0.1", 2))).isTrue();
    }

    @Test
    void withoutIdentificationTheAddressIsTheKeyAndNoAttributeIsMade() {
        ConnectionLimitStage stage = new ConnectionLimitStage(10, 1, metrics);
        Connection first = from("127.0.0.1", 1);
        Connection second = from("127.0.0.1", 2);

        assertThat(stage.onConnectionOpened(first)).isTrue();
        assertThat(stage.onConnectionOpened(second)).isFalse();
        assertThat(first.readable()).isDone();
        assertThat(first.hasAttr(IdentityStage.PEER_USER_LOOKUP)).isFalse();
    }

    @Test
    void answersAndClosesRacingLeaveNoCountBehind() throws Exception {
        ConnectionLimitStage stage = new ConnectionLimitStage(10_000, 5, metrics);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 2000; i++) {
            CompletableFuture<PeerUser> lookup = new CompletableFuture<>();
            Connection c = awaiting("127.0.0.1", 1000 + i, lookup);
            assertThat(stage.onConnectionOpened(c)).isTrue();
            long uid = 1000 + i % 3;
            pool.execute(() -> {
                await(go);
                lookup.complete(PeerUser.of(uid));
            });
            pool.execute(() -> {
                await(go);
                stage.onConnectionClosed(c);
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(stage.connections()).isZero();
        for (long uid = 1000; uid < 1003; uid++) {
            for (int n = 0; n < 5; n++) {
                Connection c = awaiting("127.0.0.1", 1, CompletableFuture.completedFuture(PeerUser.of(uid)));
                assertThat(stage.onConnectionOpened(c)).as("uid %d's share is whole again", uid).isTrue();
            }
        }
    }

    @Test
    void behindTheIdentityStageTheShareIsTheUidTheKernelNames(@TempDir Path procNet) throws Exception {
        String header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        // Sockets to the daemon at 127.0.0.1:8080 (1F90): 50001 and 50002 are uid 1001's, 50003 uid 1002's.
        Files.writeString(procNet.resolve("tcp"), header
                + "   0: 0100007F:C351 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1001        0 1 1 0 100 0 0 10 0\n"
                + "   1: 0100007F:C352 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1001        0 2 1 0 100 0 0 10 0\n"
                + "   2: 0100007F:C353 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1002        0 3 1 0 100 0 0 10 0\n");
        Files.writeString(procNet.resolve("tcp6"), header);
        Policy policy = Policy.load(new ConfigLoader().parse("secrets: /s\nca_dir: /ca\napps: {a: {uids: [1001]}, b: {uids: [1002]}}\n",
                Path.of("/")), new Secrets("test", Map.of()));
        StageChain chain = new StageChain(List.of(new IdentityStage(() -> policy, new PeerUidResolver(procNet)),
                new ConnectionLimitStage(10, 1, metrics)));
        InetSocketAddress daemon = new InetSocketAddress("127.0.0.1", 8080);
        List<Connection> connections = new ArrayList<>();
        List<Boolean> admitted = new ArrayList<>();
        for (int port = 50001; port <= 50003; port++) {
            Connection c = new Connection(new InetSocketAddress("127.0.0.1", port), daemon, "127.0.0.1:" + port);
            connections.add(c);
            // Refused at open when the uid came back already, else by the read gate once it does.
            boolean open = chain.onConnectionOpened(c);
            try {
                c.readable().get(5, TimeUnit.SECONDS);
                admitted.add(open);
            } catch (ExecutionException refused) {
                admitted.add(false);
            }
        }

        assertThat(admitted).as("uid 1001's first, its second (over a share of 1), uid 1002's on the same address")
                .containsExactly(true, false, true);
        assertThat(metrics.rejections(Limit.MAX_CONNECTIONS_PER_PEER)).isEqualTo(1);
        connections.forEach(chain::onConnectionClosed);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void countsStayExactUnderConcurrency() throws Exception {
        ConnectionLimitStage stage = new ConnectionLimitStage(100, 60, metrics);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger admitted = new AtomicInteger();
        List<Connection> in = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 1000; i++) {
            int n = i;
            pool.execute(() -> {
                Connection c = from("127.0.0." + (2 + n % 2), 1000 + n);
                if (stage.onConnectionOpened(c)) {
                    admitted.incrementAndGet();
                    in.add(c);
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(admitted.get()).isEqualTo(100);
        assertThat(stage.connections()).isEqualTo(100);
        in.forEach(stage::onConnectionClosed);
        assertThat(stage.connections()).isZero();
    }
}
