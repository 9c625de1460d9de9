package io.credproxy.agent.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EventSenderTest {
    /** Records each batch; fails or refuses when told to; may block until released. */
    static final class FakeTransport implements EventTransport {
        final List<String> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch sending = new CountDownLatch(1);
        volatile IOException failure;
        volatile CountDownLatch blockUntil;

        @Override
        public void send(String jsonArray) throws IOException {
            sending.countDown();
            CountDownLatch latch = blockUntil;
            if (latch != null) {
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            batches.add(jsonArray);
        }

        int events() {
            int count = 0;
            for (String batch : batches) {
                count += occurrences(batch, "\"kind\":");
            }
            return count;
        }
    }

    @Test
    void sendsEventsAsJsonArraysOfAtMostTheBatchSize() {
        FakeTransport transport = new FakeTransport();
        EventSender sender = new EventSender("tito", transport, 100, 3, 60_000);
        sender.instrumented("okhttp");
        for (int i = 0; i < 6; i++) {
            sender.socketTunneled("java.net.Socket", "db.example", 5432, "com.example.Db.connect");
        }
        sender.socketBlocked("java.nio.channels.SocketChannel", "smtp.example", 25, null);

        assertThat(sender.flush()).isTrue();

        assertThat(transport.batches).hasSize(3);
        assertThat(transport.batches).allSatisfy(b -> assertThat(occurrences(b, "\"kind\":")).isLessThanOrEqualTo(3));
        assertThat(transport.batches.get(0)).startsWith("[{\"kind\":\"instrumented\",\"timeMillis\":")
                .contains("\"app\":\"tito\",\"client\":\"okhttp\"}");
        assertThat(transport.batches.get(0)).contains("{\"kind\":\"socket_tunneled\"", "\"host\":\"db.example\",\"port\":5432",
                "\"frame\":\"com.example.Db.connect\"");
        assertThat(transport.batches.get(2)).as("no frame known: none written")
                .endsWith("\"client\":\"java.nio.channels.SocketChannel\",\"host\":\"smtp.example\",\"port\":25}]");
        assertThat(transport.events()).isEqualTo(8);
        assertThat(sender.sent()).isEqualTo(8);
        assertThat(sender.flush()).as("nothing left").isTrue();
        assertThat(transport.batches).hasSize(3);
    }

    @Test
    void whenTheQueueIsFullEventsAreDroppedAndCountedNotWaitedFor() {
        FakeTransport transport = new FakeTransport();
        EventSender sender = new EventSender("tito", transport, 5, 100, 60_000);
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            sender.socketTunneled("java.net.Socket", "db.example", 1000 + i, "com.example.Db.connect");
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("offering never waits").isLessThan(2_000);
        assertThat(sender.dropped()).isEqualTo(995);

        sender.flush();
        assertThat(transport.events()).isEqualTo(5);
        assertThat(transport.batches.get(0)).contains("\"port\":1000,", "\"port\":1004,").doesNotContain("\"port\":1005,");
    }

    @Test
    void aFailedHookIsReportedWithItsClientAndTheMethodItLookedFor() {
        FakeTransport transport = new FakeTransport();
        EventSender sender = new EventSender("tito", transport, 100, 100, 60_000);
        sender.instrumentationFailed("jdk-httpclient", "jdk.internal.net.http.HttpRequestImpl.<init>(.. java.net.ProxySelector ..)");
        assertThat(sender.flush()).isTrue();
        assertThat(transport.batches.get(0)).startsWith("[{\"kind\":\"instrumentation_failed\"")
                .contains("\"client\":\"jdk-httpclient\"",
                        "\"frame\":\"jdk.internal.net.http.HttpRequestImpl.<init>(.. java.net.ProxySelector ..)\"")
                .doesNotContain("\"host\"");
    }

    @Test
    void theStartsOwnEventsAloneAreNotWorthAConnectionAtExit() {
        FakeTransport transport = new FakeTransport();
        EventSender sender = new EventSender("tito", transport, 100, 100, 60_000);
        sender.instrumented("java.net.Socket"); // woven before start(): the agent's own start
        sender.instrumented("java.net.ProxySelector");

        sender.close(1_000);

        assertThat(transport.sending.getCount()).as("no connection attempted").isEqualTo(1);
        assertThat(transport.batches).isEmpty();
    }

    @Test
    void theStartsOwnEventsGoWithAnyOtherEventAtExitAndWithEveryPeriodicRound() {
        FakeTransport transport = new FakeTransport();
        EventSender atExit = new EventSender("tito", transport, 100, 100, 60_000);
        atExit.instrumented("java.net.Socket");
        atExit.start();
        atExit.socketBlocked("java.net.Socket", "smtp.example", 25, null);
        atExit.close(1_000);
        assertThat(transport.batches).singleElement().asString()
                .contains("\"client\":\"java.net.Socket\"}", "\"kind\":\"socket_blocked\"");

        FakeTransport periodic = new FakeTransport();
        EventSender quiet = new EventSender("tito", periodic, 100, 100, 60_000);
        quiet.instrumented("java.net.Socket");
        assertThat(quiet.flush()).isTrue();
        assertThat(periodic.batches).as("a round of the thread sends them on their own").singleElement().asString()
                .contains("\"kind\":\"instrumented\"");
    }

    @Test
    void anInstrumentationFailureIsNeverHeldBack() {
        FakeTransport transport = new FakeTransport();
        EventSender sender = new EventSender("tito", transport, 100, 100, 60_000);
        sender.instrumented("java.net.Socket");
        sender.instrumentationFailed("jdk-httpclient", "jdk.internal.net.http.Http1Request.collectHeaders0(..)");

        sender.close(1_000);

        assertThat(transport.batches).singleElement().asString().contains("instrumentation_failed", "\"kind\":\"instrumented\"");
    }

    @Test
    void anInvalidEventIsDroppedAndNeverThrownAtTheApplication() {
        EventSender sender = new EventSender("tito", new FakeTransport(), 5, 100, 60_000);
        sender.socketTunneled("java.net.Socket", null, 5432, null); // a socket event needs a host
        sender.socketBlocked("java.net.Socket", "db.example", 70_000, null); // port out of range
        assertThat(sender.dropped()).isEqualTo(2);
    }

    @Test
    void aBatchTheDaemonCouldNotTakeIsSentAgainNextRound() {
        FakeTransport transport = new FakeTransport();
        EventSender sender = new EventSender("tito", transport, 100, 100, 60_000);
        sender.instrumented("okhttp");
        transport.failure = new IOException("connection refused");
        assertThat(sender.flush()).isFalse();
        sender.instrumented("jdk-httpclient");

        transport.failure = null;
        assertThat(sender.flush()).isTrue();
        assertThat(transport.batches).hasSize(1);
        assertThat(transport.batches.get(0)).contains("okhttp", "jdk-httpclient");
    }

    @Test
    void eventsKeptForLaterStayWithinTheCapacityNewestFirst() {
        FakeTransport transport = new FakeTransport();
        EventSender sender = new EventSender("tito", transport, 4, 100, 60_000);
        transport.failure = new IOException("connection refused");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                sender.socketBlocked("java.net.Socket", "h", round * 10 + i + 1, null);
            }
            sender.flush();
        }
        assertThat(sender.dropped()).isEqualTo(8);
        transport.failure = null;
        sender.flush();
        assertThat(transport.events()).isEqualTo(4);
        assertThat(transport.batches.get(0)).contains("\"port\":21}", "\"port\":24}").doesNotContain("\"port\":11}");
    }

    @Test
    void aBatchTheDaemonRefusedIsDroppedNotRetried() {
        FakeTransport transport = new FakeTransport();
        EventSender sender = new EventSender("tito", transport, 100, 100, 60_000);
        sender.instrumented("okhttp");
        transport.failure = new EventTransport.Rejected("400");
        assertThat(sender.flush()).isTrue();
        transport.failure = null;
        sender.flush();
        assertThat(transport.batches).isEmpty();
    }

    @Test
    void theThreadSendsAboutEveryIntervalAndCloseSendsWhatIsLeft() throws Exception {
        FakeTransport transport = new FakeTransport();
        EventSender sender = new EventSender("tito", transport, 100, 100, 50);
        sender.start();
        sender.instrumented("okhttp");
        await("sent by the thread, without close").atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(transport.events()).isEqualTo(1));

        sender.socketBlocked("java.net.Socket", "smtp.example", 25, "com.example.Mailer.send");
        sender.close(5_000);
        assertThat(transport.events()).isEqualTo(2);
    }

    @Test
    @Timeout(30) // a close that sent again into the hanging transport would never return
    void closeWaitsNoLongerThanItsTimeoutForADaemonThatHangs() throws Exception {
        FakeTransport transport = new FakeTransport();
        transport.blockUntil = new CountDownLatch(1);
        EventSender sender = new EventSender("tito", transport, 100, 100, 10);
        sender.start();
        sender.instrumented("okhttp");
        await("the thread is stuck sending to the hanging daemon").atMost(Duration.ofSeconds(5))
                .until(() -> transport.sending.getCount() == 0);
        long start = System.nanoTime();
        sender.close(200);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // It waited for the round under way (at least its timeout), then gave up instead of hanging.
        assertThat(waited).isBetween(190L, 3_000L);
        assertThat(transport.batches).as("the hanging round delivered nothing, and close did not send it again").isEmpty();
        long offered = System.nanoTime();
        sender.socketTunneled("java.net.Socket", "db.example", 5432, null);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - offered)).as("still never blocks the caller")
                .isLessThan(1_000L);
        transport.blockUntil.countDown();
    }

    static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
